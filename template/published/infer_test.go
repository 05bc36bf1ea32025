package published

import (
	"testing"

	"github.com/nianbao/nianbao/schema"
)

func TestInferMeta(t *testing.T) {
	tests := []struct {
		name  string
		level schema.Level
		role  schema.Role
	}{
		{"乳山市乳山寨镇", schema.LevelTownship, schema.RoleGovernment},
		{"乳山市乳山寨镇人民政府", schema.LevelTownship, schema.RoleGovernment},
		{"某某区某某街道办事处", schema.LevelTownship, schema.RoleGovernment},
		{"某某县某某乡人民政府", schema.LevelTownship, schema.RoleGovernment},
		{"城南县市场监督管理局", schema.LevelCounty, schema.RoleDepartment},
		{"某某县乡村振兴局", schema.LevelCounty, schema.RoleDepartment},
		{"某某县住房和城乡建设局", schema.LevelCounty, schema.RoleDepartment},
		{"徐闻县司法局", schema.LevelCounty, schema.RoleDepartment},
		{"某某市某某区人民政府", schema.LevelCounty, schema.RoleGovernment},
		{"某某省人民政府办公厅", schema.LevelProvince, schema.RoleDepartment},
		{"上海市人民政府", schema.LevelProvince, schema.RoleGovernment},
		{"广西壮族自治区教育厅", schema.LevelProvince, schema.RoleDepartment},
		{"国家新闻出版署", schema.LevelNational, schema.RoleDepartment},
		{"生态环境部", schema.LevelNational, schema.RoleDepartment},
		// a 市 may be a prefecture or a county-level city
		{"白山市", "", schema.RoleGovernment},
		{"保山市政务服务管理局", "", schema.RoleDepartment},
		// zones and 管委会 are left to the member of staff
		{"平潭综合实验区", "", ""},
		{"平潭综合实验区管委会办公室", "", schema.RoleDepartment},
		{"某某经济开发区管委会", "", ""},
		{"平潭综合实验区（全区汇总）", "", ""},
	}
	for _, tt := range tests {
		l, r := inferMeta(tt.name)
		if l != tt.level || r != tt.role {
			t.Errorf("inferMeta(%q) = %q, %q, want %q, %q", tt.name, l, r, tt.level, tt.role)
		}
	}
}

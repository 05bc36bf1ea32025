package published

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
)

// Inferring 机关层级 and 机关类别 from the agency's name, where the name
// leaves no doubt: the last place in it gives the level (…镇, …乡, …街道:
// 乡镇; …县, …旗, …区 of a county: 县; …省, …自治区 and the four
// municipalities: 省; 国家…, …部, …署 with no place: 国家), and what
// follows the place the role (nothing, 人民政府, 街道办事处: 政府; …局, …委,
// …办, …中心: 部门). A 市 may be a prefecture or a county-level city, a
// zone (开发区, 实验区) or a 管委会 is neither government nor department
// plainly: those are left to the member of staff.

// placeUnit is a place suffix and the level a body at that place has (""
// when the suffix alone does not tell).
type placeUnit struct {
	suffix string
	level  schema.Level
}

var placeUnits = []placeUnit{
	{"自治区", schema.LevelProvince}, {"自治州", ""}, {"自治县", schema.LevelCounty}, {"自治旗", schema.LevelCounty},
	{"街道", schema.LevelTownship}, {"省", schema.LevelProvince}, {"市", ""}, {"州", ""}, {"盟", ""},
	{"地区", ""}, {"县", schema.LevelCounty}, {"旗", schema.LevelCounty}, {"区", schema.LevelCounty},
	{"镇", schema.LevelTownship}, {"乡", schema.LevelTownship}, {"苏木", schema.LevelTownship},
}

// notPlace are words holding a place suffix that are no place.
var notPlace = []string{"市场", "市容", "市民", "城市", "城乡", "城镇", "乡村", "区域", "区划", "县域", "省级", "市级", "县级", "区级", "乡级",
	"社区", "园区", "景区", "辖区", "片区"}

// zones end in 区 but are not counties.
var zones = []string{"开发区", "实验区", "新区", "园区", "示范区", "保税区", "高新区", "试验区", "合作区", "度假区", "景区", "港区", "矿区", "林区", "垦区", "片区"}

var municipalities = []string{"北京市", "天津市", "上海市", "重庆市"}

var deptSuffixes = []string{"局", "委员会", "委", "办公室", "办", "中心", "厅", "署", "部", "所", "站", "队", "处", "院"}

// inferMeta returns the level and role the name makes plain ("" where it
// does not).
func inferMeta(name string) (level schema.Level, role schema.Role) {
	n := norm(name)
	if n == "" || strings.ContainsAny(n, "（）()，、") {
		return "", ""
	}
	// the last place unit in the name
	last, lastEnd := -1, 0
	var unit placeUnit
	for i := 0; i < len(n); {
		matched := false
		for _, u := range placeUnits {
			if !strings.HasPrefix(n[i:], u.suffix) || i == 0 {
				continue
			}
			if skipWord(n, i, u.suffix) {
				continue
			}
			last, lastEnd, unit = i, i+len(u.suffix), u
			i += len(u.suffix)
			matched = true
			break
		}
		if !matched {
			_, sz := utf8.DecodeRuneInString(n[i:])
			i += sz
		}
	}
	rest := ""
	zone := false
	if last >= 0 {
		rest = n[lastEnd:]
		level = unit.level
		head := n[:lastEnd]
		if unit.suffix == "区" {
			for _, z := range zones {
				if strings.HasSuffix(head, z) {
					level, zone = "", true
				}
			}
		}
		if unit.suffix == "市" {
			for _, m := range municipalities {
				if head == m {
					level = schema.LevelProvince
				}
			}
		}
	} else {
		rest = n
		if strings.HasPrefix(n, "国家") || strings.HasPrefix(n, "国务院") || strings.HasPrefix(n, "中华人民共和国") ||
			strings.HasSuffix(n, "部") || strings.HasSuffix(n, "署") || strings.HasSuffix(n, "总局") {
			level = schema.LevelNational
		}
	}
	switch {
	case zone && (rest == "" || strings.HasSuffix(rest, "政府")):
		role = "" // a zone's body: a 管委会 or a government, the name does not say
	case last >= 0 && (rest == "" || rest == "人民政府" || rest == "政府" || unit.suffix == "街道" && rest == "办事处"):
		role = schema.RoleGovernment
	case strings.HasSuffix(rest, "管委会") || strings.HasSuffix(rest, "管理委员会"):
		role = ""
	default:
		for _, s := range deptSuffixes {
			if strings.HasSuffix(rest, s) && runeLen(rest) > runeLen(s) {
				role = schema.RoleDepartment
				break
			}
		}
	}
	if last < 0 && role == schema.RoleDepartment && level == "" {
		return "", role
	}
	return level, role
}

// skipWord reports whether the suffix at i is part of a word that names
// no place (市场, 城乡, 乡村, …) or follows no place name.
func skipWord(n string, i int, suffix string) bool {
	for _, w := range notPlace {
		for k := 0; k <= len(w)-len(suffix); k++ {
			if w[k:k+len(suffix)] != suffix {
				continue
			}
			start := i - k
			if start >= 0 && strings.HasPrefix(n[start:], w) {
				return true
			}
		}
	}
	prev, _ := utf8.DecodeLastRuneInString(n[:i])
	return !unicode.Is(unicode.Han, prev)
}

// inferred fills 机关层级 and 机关类别 from the agency's name where they are
// blank and the name makes them plain, and records that they were inferred.
func inferred(rep *schema.Report) map[string]string {
	out := map[string]string{}
	a := rep.Meta.Agency.Value
	if a == "" {
		return out
	}
	level, role := inferMeta(a)
	why := "由机关名称“" + a + "”推断，请核对"
	if level != "" && rep.Meta.Level.Value == "" {
		rep.Meta.Level = schema.Text{Value: string(level), Loc: rep.Meta.Agency.Loc}
		out["level"] = why
	}
	if role != "" && rep.Meta.Role.Value == "" {
		rep.Meta.Role = schema.Text{Value: string(role), Loc: rep.Meta.Agency.Loc}
		out["role"] = why
	}
	return out
}

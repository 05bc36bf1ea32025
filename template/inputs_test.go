package template

import (
	"os"
	"strings"
	"testing"
)

// readmeTable is the README's table of input kinds, made from Inputs.
func readmeTable() string {
	var b strings.Builder
	b.WriteString("| 扩展名 | 文件 | nianbao 怎样处理 |\n|---|---|---|\n")
	for i, in := range Inputs {
		if in.Alias {
			continue
		}
		exts := "`" + in.Ext + "`"
		names := in.Name
		for _, a := range Inputs[i+1:] {
			if !a.Alias {
				break
			}
			exts += "、`" + a.Ext + "`"
			if a.Name != in.Name {
				names += "、" + a.Name
			}
		}
		what := in.Unsupported
		switch in.Kind {
		case YAML, Workbook:
			what = "填报文件：check、render、convert 直接读取"
		case Published:
			what = "已发布报告：import 导入，check、init --from 也可直接读取"
		}
		b.WriteString("| " + exts + " | " + names + " | " + what + " |\n")
	}
	return b.String()
}

// TestInputsInREADME: the README's table of input kinds is the
// declaration's, so a kind added to Inputs is documented.
func TestInputsInREADME(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := readmeTable(); !strings.Contains(string(data), want) {
		t.Errorf("README.md lacks the table of input kinds made from template.Inputs; put this in it:\n%s", want)
	}
}

// TestInputs: the table is well formed and KindOf, the help texts and the
// messages follow it.
func TestInputs(t *testing.T) {
	seen := map[string]bool{}
	for _, in := range Inputs {
		if in.Ext != strings.ToLower(in.Ext) || !strings.HasPrefix(in.Ext, ".") || seen[in.Ext] || in.Name == "" {
			t.Errorf("%q: malformed or repeated", in.Ext)
		}
		seen[in.Ext] = true
		if (in.Kind == Unknown) != (in.read == nil) || (in.Kind == Unknown) != (in.Unsupported != "") {
			t.Errorf("%s: a kind read has a reader and no message, an unsupported one the reverse", in.Ext)
		}
		if KindOf("报告"+strings.ToUpper(in.Ext)) != in.Kind {
			t.Errorf("%s: KindOf is not case-blind", in.Ext)
		}
	}
	for _, tt := range []struct{ got, want string }{
		{supported, "nianbao 读取 .yaml、.xlsx，以及已发布报告的 .txt、.html、.md、.docx、.pdf"},
		{Extensions(true, Published), ".txt、.html、.htm、.md、.docx、.pdf"},
		{Describe(Published), "网页上复制的文字（.txt）、保存的网页（.html）、转换工具生成的 Markdown 文字（.md）、Word 附件（.docx）或 PDF 附件（.pdf）"},
		{unknownKind("a.et"), InputOf("a.xls").Unsupported},
		{unknownKind("a.odt"), "无法识别的文件类型（" + supported + "）"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

package template

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/template/published"
	"github.com/nianbao/nianbao/template/workbook"
	"github.com/nianbao/nianbao/template/yamlfile"
)

// Kind is the kind of an input or output file, from its extension.
type Kind int

// The kinds of file.
const (
	Unknown   Kind = iota
	YAML           // .yaml, .yml
	Workbook       // .xlsx
	Published      // .txt, .html, .htm, .docx, .pdf: a published report
)

// Input is one file extension and what nianbao does with it: the one table
// of input kinds that Open, Read, KindOf, batch, the help texts and the
// README's table walk.
type Input struct {
	// Ext is the extension, lower case, with the dot.
	Ext  string
	Kind Kind
	// Name is the kind's Chinese name, for help texts and the README.
	Name string
	// Alias marks another spelling of the extension just before it
	// (.yml for .yaml); messages list only the first spelling.
	Alias bool
	// Text marks a text format: a binary file with this extension is
	// refused with an explanation (its extension was probably changed).
	Text bool
	// Unsupported is, for an extension nianbao does not read, what the
	// member of staff should do instead; "" for the kinds it reads.
	Unsupported string

	// read reads the file's bytes; readAt, when set, reads the open file
	// without loading it whole (Open uses it).
	read   func(name string, data []byte) (*schema.Report, error)
	readAt func(name string, r io.ReaderAt, size int64) (*schema.Report, error)
}

func readWorkbook(name string, data []byte) (*schema.Report, error) {
	return workbook.Read(name, bytes.NewReader(data), int64(len(data)))
}

// Inputs declares the input kinds, in the order messages list them.
// Adding a kind nianbao reads is one entry here with its reader.
var Inputs = []Input{
	{Ext: ".yaml", Kind: YAML, Name: "YAML 报告文件", Text: true, read: yamlfile.Read},
	{Ext: ".yml", Kind: YAML, Name: "YAML 报告文件", Alias: true, Text: true, read: yamlfile.Read},
	{Ext: ".xlsx", Kind: Workbook, Name: "Excel 填报工作簿", read: readWorkbook, readAt: workbook.Read},
	{Ext: ".txt", Kind: Published, Name: "网页上复制的文字", Text: true, read: published.ReadText},
	{Ext: ".html", Kind: Published, Name: "保存的网页", Text: true, read: published.ReadHTML},
	{Ext: ".htm", Kind: Published, Name: "保存的网页", Alias: true, Text: true, read: published.ReadHTML},
	{Ext: ".md", Kind: Published, Name: "转换工具生成的 Markdown 文字", Text: true, read: published.ReadText},
	{Ext: ".docx", Kind: Published, Name: "Word 附件", read: published.ReadDOCX},
	{Ext: ".pdf", Kind: Published, Name: "PDF 附件", read: published.ReadPDF},

	{Ext: ".xls", Name: "旧版 Excel 工作簿",
		Unsupported: "旧版 Excel 或 WPS 表格文件不能直接读取：请在 Excel 或 WPS 中“另存为” .xlsx 格式后重试"},
	{Ext: ".et", Name: "WPS 表格文件", Alias: true,
		Unsupported: "旧版 Excel 或 WPS 表格文件不能直接读取：请在 Excel 或 WPS 中“另存为” .xlsx 格式后重试"},
	{Ext: ".doc", Name: "旧版 Word 文档",
		Unsupported: "旧版 Word 或 WPS 文字文件不能直接读取：请在 Word 或 WPS 中“另存为” .docx 格式后重试"},
	{Ext: ".wps", Name: "WPS 文字文件", Alias: true,
		Unsupported: "旧版 Word 或 WPS 文字文件不能直接读取：请在 Word 或 WPS 中“另存为” .docx 格式后重试"},
}

// InputOf returns the table entry for path's extension, or nil.
func InputOf(path string) *Input {
	ext := strings.ToLower(filepath.Ext(path))
	for i := range Inputs {
		if Inputs[i].Ext == ext {
			return &Inputs[i]
		}
	}
	return nil
}

// KindOf returns the kind of a file from its extension.
func KindOf(path string) Kind {
	if in := InputOf(path); in != nil {
		return in.Kind
	}
	return Unknown
}

// Extensions lists, joined by 、, the extensions nianbao reads as one of
// kinds (all kinds read when none is given); aliases too when withAliases.
func Extensions(withAliases bool, kinds ...Kind) string {
	var out []string
	for _, in := range Inputs {
		if in.Kind == Unknown || in.Alias && !withAliases {
			continue
		}
		if len(kinds) == 0 || containsKind(kinds, in.Kind) {
			out = append(out, in.Ext)
		}
	}
	return strings.Join(out, "、")
}

// Either names the extensions of the kinds, in the order given, aliases
// left out, for help texts and messages: Either(Workbook, YAML) is
// ".xlsx 或 .yaml".
func Either(kinds ...Kind) string {
	var out []string
	for _, k := range kinds {
		for _, in := range Inputs {
			if in.Kind == k && !in.Alias {
				out = append(out, in.Ext)
			}
		}
	}
	if len(out) < 2 {
		return strings.Join(out, "")
	}
	return strings.Join(out[:len(out)-1], "、") + " 或 " + out[len(out)-1]
}

func containsKind(ks []Kind, k Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

// ReadsText says which files nianbao reads, for help texts and messages:
// ".yaml、.xlsx" + or + "已发布报告的 .txt、.html、.docx".
func ReadsText(or string) string {
	return Extensions(false, YAML, Workbook) + or + "已发布报告的 " + Extensions(false, Published)
}

// Describe names the files of a kind with their extensions, for help
// texts: "网页上复制的文字（.txt）、保存的网页（.html）或 Word 附件（.docx）".
func Describe(k Kind) string {
	var parts []string
	for _, in := range Inputs {
		if in.Kind == k && !in.Alias {
			parts = append(parts, in.Name+"（"+in.Ext+"）")
		}
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	or, last := "或", parts[len(parts)-1]
	if last[0] < utf8.RuneSelf {
		or += " " // a space between Chinese and Latin text
	}
	return strings.Join(parts[:len(parts)-1], "、") + or + last
}

// supported names the kinds of file nianbao reads, for messages.
var supported = "nianbao 读取 " + ReadsText("，以及")

// unknownKind explains, for a member of staff, what to do with a file whose
// extension nianbao does not read.
func unknownKind(path string) string {
	if in := InputOf(path); in != nil && in.Unsupported != "" {
		return in.Unsupported
	}
	return "无法识别的文件类型（" + supported + "）"
}

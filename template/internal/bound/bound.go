// Package bound holds the bounds every reader of a package or markup file
// shares, so that each refuses a hostile file the same way: a zip package
// (workbook, DOCX) with too many entries, too much uncompressed data or two
// entries of one name, and XML nested deeper than any real document or
// not well-formed. The bound on the text a report produces is
// schema.TextBudget; this package bounds the containers around it.
//
// A reader words the errors for its own file kind with Explain
// ("工作簿", "Word 文档"), so the messages are the same in every reader.
package bound

import (
	"errors"
	"fmt"
)

// MaxDepth is the deepest nesting of elements (or, for a reader of another
// structured format such as PDF, of objects) a reader follows. Real files
// nest far less: a worksheet cell with rich text is 7 deep, a Word table
// inside a table inside a table about 30.
const MaxDepth = 256

// Errors, wrapped with the part's name; Explain words them in Chinese.
var (
	ErrNotZip     = errors.New("not a zip package")
	ErrDuplicate  = errors.New("two entries of one name")
	ErrEntries    = errors.New("too many entries")
	ErrTooLarge   = errors.New("too large when uncompressed")
	ErrTooDeep    = errors.New("nested too deep")
	ErrMalformed  = errors.New("not well-formed XML")
	ErrNoSuchPart = errors.New("no such part")
)

// PartError is an error of one part of a package.
type PartError struct {
	Part string // the entry's name, as in the package
	Err  error  // one of the errors above
	// Cause is the underlying error (the XML syntax error, the zip error),
	// if any.
	Cause error
}

func (e *PartError) Error() string {
	if e.Cause != nil {
		return fmt.Sprintf("%s: %v: %v", e.Part, e.Err, e.Cause)
	}
	return fmt.Sprintf("%s: %v", e.Part, e.Err)
}

// Unwrap returns the kind and the cause.
func (e *PartError) Unwrap() []error {
	if e.Cause != nil {
		return []error{e.Err, e.Cause}
	}
	return []error{e.Err}
}

// Explain words err (from this package) in Chinese for a file of the given
// kind ("工作簿", "Word 文档"); where names the part for a person
// ("工作表“表三”"), "" = the entry's name. ok is false for an error of
// another origin.
func Explain(kind, where string, err error) (msg string, ok bool) {
	var pe *PartError
	if !errors.As(err, &pe) {
		return "", false
	}
	if where == "" && pe.Part != "" {
		where = "部件 " + pe.Part
	}
	switch {
	case errors.Is(err, ErrDuplicate):
		return fmt.Sprintf("%s已损坏：包含两个同名的部件 %s（文件被其他程序改动过）；请用 Excel、WPS 或 Word 打开后另存为新文件", kind, pe.Part), true
	case errors.Is(err, ErrEntries):
		return fmt.Sprintf("%s包含的部件过多（超过 %d 个），不是正常的文件", kind, MaxEntries), true
	case errors.Is(err, ErrTooLarge) && where == "":
		return fmt.Sprintf("%s解压后过大（超过 %d MB），可能是异常文件（压缩炸弹）", kind, MaxTotal>>20), true
	case errors.Is(err, ErrTooLarge):
		return fmt.Sprintf("%s中的%s解压后过大，可能是异常文件（压缩炸弹）；请删除多余的内容后重试", kind, where), true
	case errors.Is(err, ErrTooDeep):
		return fmt.Sprintf("%s已损坏：%s中的元素嵌套超过 %d 层，不是正常的文件", kind, where, MaxDepth), true
	case errors.Is(err, ErrMalformed):
		return fmt.Sprintf("%s已损坏：%s无法解析（内容不完整或格式错误，文件可能被截断或改动过）", kind, where), true
	case errors.Is(err, ErrNoSuchPart):
		return fmt.Sprintf("%s缺少%s（文件不完整或已损坏）", kind, where), true
	case errors.Is(err, ErrNotZip) && pe.Part != "":
		return fmt.Sprintf("%s已损坏，无法解压%s（文件可能不完整）", kind, where), true
	case errors.Is(err, ErrNotZip):
		return kind + "已损坏，无法解压（文件可能不完整）；请重新保存或重新下载后重试", true
	}
	return "", false
}

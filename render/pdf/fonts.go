package pdf

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/nianbao/nianbao/render/pdf/internal/ttf"
	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/errtext"
)

// The bundled fonts (fonts/make-fonts.sh, OFL.txt). The body face covers
// GBK; the title and heading faces cover GB2312, and text they lack falls
// back to the body face, so a rare character in a title is still drawn.
// Embedded as byte slices: the data stays in the binary, never copied.
var (
	//go:embed fonts/NotoSerifSC-Regular.ttf
	serifRegularTTF []byte
	//go:embed fonts/NotoSerifSC-Bold.ttf
	serifBoldTTF []byte
	//go:embed fonts/NotoSansSC-Medium.ttf
	sansMediumTTF []byte
	//go:embed fonts/LXGWWenKai-Regular.ttf
	wenKaiTTF []byte
)

// bundledFont parses one embedded font once per process.
type bundledFont struct {
	file string
	data []byte
	once sync.Once
	font *ttf.Font
	err  error
}

func (b *bundledFont) get() (*ttf.Font, error) {
	b.once.Do(func() { b.font, b.err = ttf.Parse(b.data, 0) })
	return b.font, b.err
}

var (
	serifRegular = &bundledFont{file: "NotoSerifSC-Regular.ttf", data: serifRegularTTF}
	serifBold    = &bundledFont{file: "NotoSerifSC-Bold.ttf", data: serifBoldTTF}
	sansMedium   = &bundledFont{file: "NotoSansSC-Medium.ttf", data: sansMediumTTF}
	wenKai       = &bundledFont{file: "LXGWWenKai-Regular.ttf", data: wenKaiTTF}
)

// face is one font as the document uses it.
type face struct {
	font   *ttf.Font
	family string // fpdf family name
	label  string // for messages: 内置字体 Noto Serif SC / 字体文件 simsun.ttc:0
	flag   string // the flag that chooses this font, for messages
	user   bool   // given by the user (no silent fallback)
	bold   bool   // draw with a synthetic bold (fill and stroke)
}

// userFonts caches parsed user fonts by path, face, size and time, so a
// batch of reports reads an agency's font once.
var userFonts sync.Map // string → *ttf.Font

// loadUserFont reads a TTF, or one face of a TTC given as path:index
// (path alone means face 0). Errors are in Chinese for the user.
func loadUserFont(spec, flag string) (*ttf.Font, error) {
	path, index := spec, 0
	if i := strings.LastIndexByte(spec, ':'); i > 0 {
		if n, err := strconv.Atoi(spec[i+1:]); err == nil && n >= 0 {
			path, index = spec[:i], n
		}
	}
	loc := schema.Location{File: path}
	st, err := os.Stat(path)
	if err != nil {
		return nil, schema.Unusable(loc, fmt.Sprintf("无法读取 %s 指定的字体文件：%s", flag, ioReason(err)), err)
	}
	if !st.Mode().IsRegular() && !st.IsDir() { // a FIFO would block the read
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的不是普通文件（是管道、设备或套接字），不能作为字体文件读取", flag), nil)
	}
	key := fmt.Sprintf("%s\x00%d\x00%d\x00%d", path, index, st.Size(), st.ModTime().UnixNano())
	if f, ok := userFonts.Load(key); ok {
		return f.(*ttf.Font), nil
	}
	if st.Size() > 256<<20 {
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的字体文件过大（%d 字节）", flag, st.Size()), nil)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, schema.Unusable(loc, fmt.Sprintf("无法读取 %s 指定的字体文件：%s", flag, ioReason(err)), err)
	}
	f, err := ttf.Parse(data, index)
	switch {
	case errors.Is(err, ttf.ErrCFF):
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的字体是 OpenType/CFF（PostScript 轮廓）字体，PDF 输出只支持 TrueType 字体（.ttf，或 .ttc 字体集中的一款）；请换用 TrueType 版本的字体文件", flag), err)
	case errors.Is(err, ttf.ErrCollection):
		n, _ := ttf.Faces(data)
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的字体集只有 %d 款字体（%s），没有第 %d 款；请用“文件:序号”选择，序号从 0 开始，如 %s:0",
			flag, n, faceNames(data, n), index, filepath.Base(path)), err)
	case errors.Is(err, ttf.ErrNoUnicode):
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的字体没有 Unicode 字符映射表，无法用于中文", flag), err)
	case err != nil:
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的文件不是可用的 TrueType 字体（.ttf/.ttc）", flag), err)
	}
	if f.Restricted() {
		return nil, schema.Unusable(loc, fmt.Sprintf("%s 指定的字体“%s”的授权不允许嵌入 PDF 或拆分子集（OS/2 fsType）；请换用允许嵌入的字体", flag, f.Name()), ttf.ErrRestricted)
	}
	userFonts.Store(key, f)
	return f, nil
}

// faceNames lists a collection's faces: 0 宋体，1 新宋体.
func faceNames(data []byte, n int) string {
	var s []string
	for i := 0; i < n && i < 16; i++ {
		name := "?"
		if f, err := ttf.Parse(data, i); err == nil {
			name = f.Name()
		}
		s = append(s, fmt.Sprintf("%d %s", i, name))
	}
	return strings.Join(s, "，")
}

// role is what a piece of text is in the document, which decides its font.
type role int

const (
	roleBody    role = iota // paragraphs, tables, signature, page numbers
	roleTitle               // the title (小标宋 substitute)
	roleHeading             // 一、 headings (黑体 substitute)
	roleKai                 // （一） sub-headings (楷体 substitute)
	roleMark                // the draft marker
	rolePage                // page numbers
	nRoles
)

// faces holds, for each role, the fonts to try in order: the first that
// has every character of a text draws it.
type faces struct {
	chain [nRoles][]*face
}

func loadFaces(opt Options) (*faces, error) {
	var errs []error
	user := func(path, flag, family string) *face {
		if path == "" {
			return nil
		}
		f, err := loadUserFont(path, flag)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		return &face{font: f, family: family, label: "字体“" + f.Name() + "”（" + filepath.Base(path) + "）", flag: flag, user: true}
	}
	builtin := func(b *bundledFont, family, flag string) *face {
		f, err := b.get()
		if err != nil {
			errs = append(errs, errtext.Errorf("内置字体 %s 损坏：%w", b.file, err))
			return nil
		}
		return &face{font: f, family: family, label: "内置字体“" + f.Name() + "”", flag: flag}
	}
	body := user(opt.BodyFont, "--font-body", "body")
	title := user(opt.TitleFont, "--font-title", "title")
	heading := user(opt.HeadingFont, "--font-heading", "heading")
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if body == nil {
		if body = builtin(serifRegular, "body", "--font-body"); body == nil {
			return nil, errors.Join(errs...)
		}
	}
	fs := &faces{}
	fs.chain[roleBody] = []*face{body}
	if title != nil {
		fs.chain[roleTitle] = []*face{title}
	} else {
		fb := *body
		fb.bold = true // synthetic bold when the GB2312 Bold lacks a character
		fs.chain[roleTitle] = []*face{builtin(serifBold, "title", "--font-title"), &fb}
	}
	if heading != nil {
		fs.chain[roleHeading] = []*face{heading}
	} else {
		fs.chain[roleHeading] = []*face{builtin(sansMedium, "heading", "--font-heading"), body}
	}
	fs.chain[roleKai] = []*face{builtin(wenKai, "kai", ""), body}
	// The draft marker is nianbao's own text: any face that has it.
	fs.chain[roleMark] = []*face{fs.chain[roleHeading][0], body}
	fs.chain[rolePage] = []*face{body}
	if body.user {
		serif := builtin(serifRegular, "serif", "")
		fs.chain[roleMark] = append(fs.chain[roleMark], serif)
		fs.chain[rolePage] = append(fs.chain[rolePage], serif)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return fs, nil
}

// pick returns the first face of the role that has every rune of text, or
// the last face of the chain and the first rune it lacks.
func (fs *faces) pick(rl role, text []rune) (*face, rune) {
	chain := fs.chain[rl]
	var missing rune
	for _, f := range chain {
		missing = 0
		for _, r := range text {
			if r > 0xffff || (!f.font.Has(r) && !isSpace(r)) {
				missing = r
				break
			}
		}
		if missing == 0 {
			return f, 0
		}
	}
	return chain[len(chain)-1], missing
}

func isSpace(r rune) bool { return r == ' ' }

// ioReason says in Chinese why a font file could not be read.
func ioReason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	case errors.Is(err, syscall.EISDIR):
		return "这是一个文件夹，不是字体文件"
	}
	return "系统错误（" + err.Error() + "）"
}

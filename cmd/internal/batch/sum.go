package batch

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nianbao/nianbao/schema"
	"github.com/nianbao/nianbao/schema/check"
	"github.com/nianbao/nianbao/template"
	"github.com/nianbao/nianbao/template/roster"
)

// SumOptions configures Sum.
type SumOptions struct {
	Dir    string // the folder of reports to sum
	Agency string // the 本行政区域 government, e.g. 某某市人民政府
	Year   int    // the report year every input must have
	Level  string // the 机关层级; "" leaves it blank
	Out    string // the output file, left out of the inputs if it is in Dir
	Jobs   int    // workers; 0 = runtime.NumCPU()
	// Roster, when set, is the list of units expected in the sum: a report
	// of a unit not on it is refused, and so is a sum with units missing
	// unless AllowMissing, when the sum's sources paragraph names them.
	Roster       *roster.Roster
	AllowMissing bool
}

// SumError lists every reason the reports could not be summed, one Chinese
// line per problem, in file order.
type SumError struct {
	Problems []string
	Files    int // the number of files with a problem
	// Missing are the roster's units without a report (SumOptions.Roster
	// without AllowMissing).
	Missing []*roster.Unit
}

func (e *SumError) Error() string {
	all := e.Problems
	for _, u := range e.Missing {
		all = append(all, u.Agency()+"：没有报告")
	}
	return strings.Join(all, "\n")
}

// MissingUnits returns the units of r that none of the sources is from,
// in roster order.
func MissingUnits(r *roster.Roster, sources []Source) []*roster.Unit {
	have := map[string]bool{}
	for _, s := range sources {
		have[NormaliseAgency(s.Agency)] = true
	}
	var out []*roster.Unit
	for _, u := range r.Units {
		if !have[NormaliseAgency(u.Agency())] {
			out = append(out, u)
		}
	}
	return out
}

// Source is one report under the folder of a sum: one that went into it,
// or one another report of the folder already holds (Covered).
type Source struct {
	File   string // relative to SumOptions.Dir
	Agency string
	// Covered says why the report's figures are not added: a 汇总 report
	// below already sums them (see pick); "" = added.
	Covered string
	report  *schema.Report // as read, for Children's callers
}

// ErrOutInDir is returned when the sum would be written into the folder it
// sums: the next sum would count it again, and it could replace an input.
var ErrOutInDir = errors.New("output inside the folder of reports")

// inside reports whether path lies in dir or one of its subfolders.
func inside(dir, path string) bool {
	d, err1 := filepath.Abs(dir)
	p, err2 := filepath.Abs(path)
	if err1 != nil || err2 != nil {
		return false
	}
	if d, err := filepath.EvalSymlinks(d); err == nil {
		if pd, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
			p = filepath.Join(pd, filepath.Base(p))
		}
		r, err := filepath.Rel(d, p)
		return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
	}
	r, err := filepath.Rel(d, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

// TableFindings are the findings of a sum that concern its tables: those
// must be none when the inputs were clean. The rest (empty narrative, no
// publication date) is what staff still have to write.
func TableFindings(f *schema.Format, fs []schema.Finding) (tables, rest []schema.Finding) {
	for _, x := range fs {
		if s := f.Section(x.Section); s != nil && s.Kind == schema.TableSection {
			tables = append(tables, x)
		} else {
			rest = append(rest, x)
		}
	}
	return tables, rest
}

// maxListed bounds the findings or cells named per refused file.
const maxListed = 5

// Sum reads every report under opt.Dir and returns the 本行政区域汇总: every
// table cell the sum of that cell over the reports. Every report must be
// readable, of opt.Year, without error findings and without a blank or
// invalid cell, and no agency may appear twice; otherwise the error is a
// *SumError naming each file and cell. The sum's 六、其他需要报告的事项 lists
// the reports that went into it.
func Sum(opt SumOptions) (*schema.Report, []Source, error) {
	if opt.Out != "" && inside(opt.Dir, opt.Out) {
		return nil, nil, fmt.Errorf("%s: %w", opt.Out, ErrOutInDir)
	}
	files, err := List(opt.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("list %s: %w", opt.Dir, err)
	}
	if len(files) == 0 {
		return nil, nil, fmt.Errorf("%s: %w", opt.Dir, ErrNoReports)
	}
	in := make([]SumInput, len(files))
	pool(len(files), max(opt.Jobs, 1), func(i int) {
		in[i] = SumInput{File: rel(opt.Dir, files[i]), Path: files[i]}
		defer func() {
			if p := recover(); p != nil {
				in[i].Err = fmt.Errorf("处理时程序出错（%v）", p)
			}
		}()
		in[i].Report, in[i].Err = template.Open(files[i])
	})
	return SumReports(opt, in)
}

// SumInput is one report to sum: its name in messages (File), the path
// the check command is told to run on (Path), and the report read from it
// or the error reading it.
type SumInput struct {
	File   string
	Path   string
	Report *schema.Report
	Err    error
}

// SumReports is Sum over reports already read (opt.Dir and opt.Out are not
// used): the collection server sums the approved versions it keeps with
// it, so the 汇总 of the server and of the command line are one logic.
func SumReports(opt SumOptions, in []SumInput) (*schema.Report, []Source, error) {
	if len(in) == 0 {
		return nil, nil, ErrNoReports
	}
	f := schema.Current
	sum := schema.NewReport(f)
	for _, t := range f.Tables {
		d := schema.NewTableData(t)
		for i := range d.Values {
			for j := range d.Values[i] {
				d.Values[i][j].SetNumber(schema.Int(0))
			}
		}
		sum.Tables[t.ID] = d
	}
	problems := make([][]string, len(in))
	sources := make([]Source, len(in))
	reports := make([]*schema.Report, len(in))
	pool(len(in), max(opt.Jobs, 1), func(i int) {
		file := in[i].File
		defer func() {
			if p := recover(); p != nil {
				problems[i] = []string{fmt.Sprintf("%s：处理时程序出错（%v）", file, p)}
			}
		}()
		r, err := in[i].Report, in[i].Err
		if err == nil && r == nil {
			err = errors.New("no report")
		}
		if err != nil {
			problems[i] = []string{file + "：无法读取：" + Reason(err)}
			return
		}
		sources[i] = Source{File: file, Agency: r.Meta.Agency.Value}
		path := in[i].Path
		if path == "" {
			path = file
		}
		problems[i] = sumProblems(file, path, r, opt.Year)
		reports[i] = r
	})
	// a report that a 汇总 of the folder already sums is left out, and so
	// are its problems; by 报告主体类型, once every report is read
	var ms []member
	var at []int
	for i, r := range reports {
		if r != nil {
			ms, at = append(ms, memberOf(filepath.FromSlash(in[i].File), r)), append(at, i)
		}
	}
	for k, why := range pick(".", ms, opt.Agency) {
		if i := at[k]; why != "" {
			sources[i].Covered, problems[i] = why, nil
		}
	}
	for i := range reports {
		if len(problems[i]) > 0 || sources[i].Covered != "" {
			reports[i] = nil
		}
	}
	// added in file order, so an overflow names the same file whatever
	// order the workers finished in
	for i, r := range reports {
		if r == nil {
			continue
		}
		if p := addInto(sum, r); p != "" {
			problems[i] = []string{in[i].File + "：" + p}
			break
		}
	}
	// duplicates, in file order
	seen := map[string]int{}
	for i, s := range sources {
		if s.File == "" || s.Covered != "" {
			continue
		}
		key := NormaliseAgency(s.Agency)
		if key == "" {
			continue
		}
		if j, dup := seen[key]; dup {
			problems[i] = append(problems[i], fmt.Sprintf("%s：与 %s 是同一机关（%s）的报告，同一机关只能汇总一次",
				s.File, sources[j].File, clean(s.Agency)))
			continue
		}
		seen[key] = i
	}
	var missing []*roster.Unit
	if opt.Roster != nil {
		for i, s := range sources {
			if s.File != "" && s.Covered == "" && opt.Roster.Find(s.Agency) == nil && strings.TrimSpace(s.Agency) != "" {
				problems[i] = append(problems[i], fmt.Sprintf("%s：机关名称“%s”不在应报单位名单（%s）中，请核对名称或把该单位补入名单",
					s.File, clean(s.Agency), opt.Roster.Source))
			}
		}
		missing = MissingUnits(opt.Roster, sources)
	}
	var all []string
	nfiles := 0
	for _, p := range problems {
		all = append(all, p...)
		if len(p) > 0 {
			nfiles++
		}
	}
	if len(all) > 0 || len(missing) > 0 && !opt.AllowMissing {
		e := &SumError{Problems: all, Files: nfiles}
		if !opt.AllowMissing {
			e.Missing = missing
		}
		return nil, nil, e
	}
	sum.Meta.Agency.Value = opt.Agency
	sum.Meta.Year.Value = fmt.Sprint(opt.Year)
	sum.Meta.Scope.Value = string(schema.ScopeRegion)
	sum.Meta.Level.Value = opt.Level
	sum.Meta.Role.Value = string(schema.RoleGovernment)
	var names []string
	for _, s := range sources {
		if s.Covered == "" {
			names = append(names, clean(s.Agency))
		}
	}
	sum.Narrative[sourcesSection(f)] = []schema.Block{{Kind: schema.Paragraph,
		Text: fmt.Sprintf("本报告第%s至第%s部分的统计数据由本行政区域内以下%d个机关的%d年度政府信息公开工作年度报告汇总而成：%s。",
			firstTableSection(f), lastTableSection(f), len(names), opt.Year, strings.Join(names, "、"))}}
	// The 本级政府 on the roster is the agency the 汇总 is made for: its
	// own (本机关) report is summed like any unit's, but the 汇总 does not
	// name its own agency among the units that did not report; it says
	// apart that its own figures are not in yet.
	var late []string
	ownMissing := false
	for _, u := range missing {
		if own := NormaliseAgency(opt.Agency); own != "" && NormaliseAgency(u.Agency()) == own {
			ownMissing = true
			continue
		}
		late = append(late, clean(u.Agency()))
	}
	if len(late) > 0 {
		sum.Narrative[sourcesSection(f)] = append(sum.Narrative[sourcesSection(f)], schema.Block{Kind: schema.Paragraph,
			Text: fmt.Sprintf("应报单位名单中以下%d个单位未报送年度报告，其数据未计入本汇总：%s。", len(late), strings.Join(late, "、"))})
	}
	if ownMissing {
		sum.Narrative[sourcesSection(f)] = append(sum.Narrative[sourcesSection(f)], schema.Block{Kind: schema.Paragraph,
			Text: fmt.Sprintf("%s本机关的年度报告数据尚未计入本汇总。", clean(opt.Agency))})
	}
	return sum, sources, nil
}

// sumProblems says why r, read from path (file relative to the folder),
// cannot go into a sum of year. A finding's details are indented lines
// under the file's line.
func sumProblems(file, path string, r *schema.Report, year int) []string {
	var out []string
	if y := r.YearInt(); y != year {
		out = append(out, fmt.Sprintf("%s：报告年度是“%s”，不是 %d 年", file, clean(r.Meta.Year.Value), year))
	}
	if strings.TrimSpace(r.Meta.Agency.Value) == "" {
		out = append(out, file+"：没有填写机关名称")
	}
	var cells []string
	for _, t := range r.Format.Tables {
		d := r.Tables[t.ID]
		if d == nil {
			out = append(out, fmt.Sprintf("%s：缺少%s（%s）", file, t.Name, t.Caption))
			continue
		}
		for i, row := range t.Rows {
			for j, c := range row.Cols {
				v := &d.Values[i][j]
				if v.OK() {
					continue
				}
				what := "空白（空白不等于 0，没有发生的事项请填 0）"
				if v.State == schema.Invalid {
					what = fmt.Sprintf("不是有效数字（“%s”）", clean(v.Raw))
				}
				where := ""
				if !v.Loc.IsZero() {
					where = "（" + v.Loc.String() + "）"
				}
				cells = append(cells, fmt.Sprintf("%s%s%s", t.CellName(row, c), where, what))
			}
		}
	}
	for i, c := range cells {
		if i == maxListed {
			out = append(out, fmt.Sprintf("%s：另有 %d 个单元格空白或无效", file, len(cells)-maxListed))
			break
		}
		out = append(out, file+"："+c)
	}
	// the errors other than the cells named above; of a 汇总 (one level of
	// a roll-up, made by nianbao sum and written up later), only those of
	// its tables: its narrative does not change its figures
	var errs []schema.Finding
	fs := check.Run(r, check.Options{})
	if schema.Scope(strings.TrimSpace(r.Meta.Scope.Value)) == schema.ScopeRegion {
		fs, _ = TableFindings(r.Format, fs)
	}
	for _, f := range fs {
		if f.Severity == schema.Error && (len(cells) == 0 || f.Rule != check.CellEmpty && f.Rule != check.CellType) {
			errs = append(errs, f)
		}
	}
	if len(errs) > 0 {
		what := fmt.Sprintf("有 %d 个错误", len(errs))
		if len(cells) > 0 {
			what = fmt.Sprintf("另有 %d 个错误", len(errs))
		}
		out = append(out, fmt.Sprintf("%s：%s，请先改正（nianbao check %s）", file, what, path))
		for i, f := range errs {
			if i == maxListed {
				break
			}
			loc := ""
			if !f.Location.IsZero() {
				loc = filepath.Base(f.Location.String()) + " "
			}
			out = append(out, fmt.Sprintf("  %s[%s] %s", loc, f.Rule, clean(f.Message)))
		}
	}
	return out
}

// addInto adds every table cell of r into sum; it returns a Chinese problem
// on overflow.
func addInto(sum, r *schema.Report) string {
	for _, t := range r.Format.Tables {
		d, s := r.Tables[t.ID], sum.Tables[t.ID]
		for i, row := range t.Rows {
			for j, c := range row.Cols {
				v, ok := s.Values[i][j].Num.Add(d.Values[i][j].Num)
				if !ok {
					return fmt.Sprintf("%s“%s”·%s 合计超出可表示的范围", t.Name, row.FullLabel(), c.FullLabel())
				}
				s.Values[i][j].Num, s.Values[i][j].Raw = v, v.String()
			}
		}
	}
	return ""
}

// sourcesSection is the key of the last narrative section (六、其他需要报告的事项),
// where a sum records its sources.
func sourcesSection(f *schema.Format) string {
	key := ""
	for _, s := range f.Sections {
		if s.Kind == schema.Narrative {
			key = s.Key
		}
	}
	return key
}

func firstTableSection(f *schema.Format) string {
	for _, s := range f.Sections {
		if s.Kind == schema.TableSection {
			return s.Number
		}
	}
	return ""
}

func lastTableSection(f *schema.Format) string {
	n := ""
	for _, s := range f.Sections {
		if s.Kind == schema.TableSection {
			n = s.Number
		}
	}
	return n
}

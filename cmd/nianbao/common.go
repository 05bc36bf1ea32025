package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/nianbao/nianbao/schema/errtext"
)

// parseInterleaved parses flags that may stand before or after the
// positional arguments (nianbao check a.yaml --prev b.yaml).
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// inputError gives the Chinese message of a reader's error.
func inputError(err error) string {
	return osReason(err)
}

// osReason says in Chinese what went wrong (errtext.Explain).
func osReason(err error) string { return errtext.Explain(err) }

// writeError explains an output failure in Chinese.
func writeError(err error) string {
	switch {
	case errors.Is(err, errtext.ErrWouldOverwriteInput):
		return "输出文件与输入文件相同，不会覆盖输入"
	case os.IsPermission(err):
		return "没有写入权限"
	}
	return osReason(err)
}

// parseFlags parses a subcommand's flags, before or after its positional
// arguments. -h prints usage to stdout (exit 0); a wrong flag prints a
// Chinese error after the usage on stderr (exit 2). When ok is false the
// caller returns code.
func (e *env) parseFlags(fs *flag.FlagSet, usage func(io.Writer)) (args []string, code int, ok bool) {
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	args, err := parseInterleaved(fs, e.args)
	if errors.Is(err, flag.ErrHelp) {
		usage(e.stdout)
		return nil, 0, false
	}
	if err != nil {
		usage(e.stderr)
		return nil, e.errorf("%s", flagError(err)), false
	}
	return args, 0, true
}

var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: (-+\S+)`)
	reNoValue   = regexp.MustCompile(`^flag needs an argument: (-+\S+)`)
	reBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?(-+[^:]+):`)
)

// flagError gives the Chinese message of a flag parsing error.
func flagError(err error) string {
	msg := err.Error()
	// the help spells long flags --year; say them so
	long := func(f string) string {
		if len(strings.TrimLeft(f, "-")) > 1 {
			return "--" + strings.TrimLeft(f, "-")
		}
		return f
	}
	if m := reUndefined.FindStringSubmatch(msg); m != nil {
		return "没有参数 " + long(m[1]) + "；可用的参数见上面的说明"
	}
	if m := reNoValue.FindStringSubmatch(msg); m != nil {
		return "参数 " + long(m[1]) + " 后面缺少取值"
	}
	if m := reBadValue.FindStringSubmatch(msg); m != nil {
		return "参数 " + long(m[2]) + " 的取值“" + m[1] + "”无效"
	}
	return "参数错误：" + msg
}

// usageOf is a subcommand's usage: its lines, then 参数： and the flags
// of fs.
func usageOf(fs *flag.FlagSet, lines ...string) func(io.Writer) {
	return func(w io.Writer) {
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		fmt.Fprintln(w, "\n参数：")
		printFlags(w, fs)
	}
}

// printFlags lists a subcommand's flags in Chinese: the flag, its value
// (the `名称` quoted in its usage), the explanation and a default that says
// something.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		name := "-" + f.Name
		if len(f.Name) > 1 {
			name = "-" + name
		}
		arg, text := flag.UnquoteUsage(f)
		switch arg {
		case "", "value":
		case "string", "int":
			name += " 值"
		default:
			name += " " + arg
			text = strings.TrimSpace(strings.TrimPrefix(text, arg))
		}
		if d := f.DefValue; d != "" && d != "false" && d != "0" {
			text += "（默认：" + d + "）"
		}
		fmt.Fprintf(w, "  %s\n      %s\n", name, text)
	})
}

// parseNone parses a subcommand that takes flags only: an argument left
// over is refused with the usage.
func (e *env) parseNone(fs *flag.FlagSet, usage func(io.Writer)) (code int, ok bool) {
	rest, code, ok := e.parseFlags(fs, usage)
	if !ok {
		return code, false
	}
	if len(rest) > 0 {
		usage(e.stderr)
		return e.errorf("多余的参数：%s", strings.Join(rest, " ")), false
	}
	return 0, true
}

// parseOne parses a subcommand that takes exactly one positional argument.
// missing is the message when it is absent; extra, with %s for the surplus
// arguments, when there are more. When ok is false the caller returns code.
func (e *env) parseOne(fs *flag.FlagSet, usage func(io.Writer), missing, extra string) (arg string, code int, ok bool) {
	args, code, ok := e.parseFlags(fs, usage)
	switch {
	case !ok:
		return "", code, false
	case len(args) == 1:
		return args[0], 0, true
	}
	usage(e.stderr)
	if len(args) == 0 {
		return "", e.errorf("%s", missing), false
	}
	return "", e.errorf(extra, strings.Join(args[1:], " ")), false
}

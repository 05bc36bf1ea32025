package main

import (
	"errors"
	"flag"
	"os"

	"github.com/nianbao/nianbao/cmd/internal/outfile"
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

// flagExit maps a flag parsing error to an exit code: -h is not a failure.
func flagExit(err error) int {
	if err == flag.ErrHelp {
		return 0
	}
	return 2
}

// inputError gives the Chinese message of a reader's error.
func inputError(err error) string {
	return err.Error()
}

// writeError explains an output failure in Chinese.
func writeError(err error) string {
	switch {
	case errors.Is(err, outfile.ErrWouldOverwriteInput):
		return "输出文件与输入文件相同，不会覆盖输入"
	case os.IsPermission(err):
		return "没有写入权限"
	}
	return err.Error()
}

package errtext

import "syscall"

// osKinds are the Windows errors staff meet most: a file open in Excel or
// WPS cannot be replaced.
var osKinds = []struct {
	err error
	why string
}{
	{syscall.Errno(32), "文件正被其他程序打开（例如 Excel、WPS）；请关闭后重试"}, // ERROR_SHARING_VIOLATION
	{syscall.Errno(33), "文件的一部分被其他程序锁定；请关闭后重试"},            // ERROR_LOCK_VIOLATION
	{syscall.Errno(112), "磁盘空间不足"},                         // ERROR_DISK_FULL
}

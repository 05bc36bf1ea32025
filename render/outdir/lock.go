package outdir

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// LockName is the lock file a managed Dir holds in its folder.
const LockName = ".nianbao.lock"

// A running holder touches its lock every heartbeat; a lock untouched for
// staleAfter belongs to a run that was killed (on any computer sharing the
// folder). On the same computer, a lock whose process is gone is stale at
// once.
const (
	heartbeat  = 10 * time.Second
	staleAfter = 2 * time.Minute
)

type lockInfo struct {
	PID     int
	Host    string
	Started time.Time
}

type lock struct {
	d    *Dir
	info lockInfo
	stop chan struct{}
	done chan struct{}
}

func acquire(d *Dir) (*lock, error) {
	host, _ := os.Hostname()
	me := lockInfo{PID: os.Getpid(), Host: host, Started: time.Now().UTC().Truncate(time.Second)}
	data, _ := json.Marshal(me)
	for attempt := 0; ; attempt++ {
		f, err := d.root.OpenFile(LockName, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, werr := f.Write(data)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				d.root.Remove(LockName)
				return nil, werr
			}
			l := &lock{d: d, info: me, stop: make(chan struct{}), done: make(chan struct{})}
			go l.beat()
			return l, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		holder, st, rerr := readLock(d)
		if rerr != nil && !errors.Is(rerr, fs.ErrNotExist) && st == nil {
			return nil, rerr
		}
		if attempt == 0 && (st == nil || stale(holder, st, host)) {
			if st != nil && (st.Mode()&fs.ModeSymlink != 0 || !st.Mode().IsRegular()) {
				return nil, &Error{Op: "lock", Path: LockName, Err: ErrLink,
					Msg: fmt.Sprintf("%s 不是 nianbao 的锁文件（是链接或特殊文件）；请删除后重试", filepath.Join(d.path, LockName))}
			}
			d.root.Remove(LockName) // taken over: the run that held it is gone
			continue
		}
		who := "另一个 nianbao batch"
		if holder.PID != 0 {
			who += fmt.Sprintf("（计算机 %s 上的进程 %d，开始于 %s）", holder.Host, holder.PID, holder.Started.Local().Format("2006-01-02 15:04:05"))
		}
		return nil, &Error{Op: "lock", Path: LockName, Err: ErrLocked,
			Msg: fmt.Sprintf("输出文件夹 %s 正由%s使用；两次批量校验同时写入一个文件夹，总览会互相覆盖。请等它完成后再运行，或用 -o 指定另一个输出文件夹", d.path, who)}
	}
}

// readLock reads the lock file without following a link.
func readLock(d *Dir) (lockInfo, fs.FileInfo, error) {
	var info lockInfo
	st, err := d.root.Lstat(LockName)
	if err != nil {
		return info, nil, err
	}
	if !st.Mode().IsRegular() {
		return info, st, nil
	}
	f, err := d.root.Open(LockName)
	if err != nil {
		return info, st, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return info, st, err
	}
	json.Unmarshal(data, &info)
	return info, st, nil
}

// stale reports whether the lock's holder is gone: its process on this
// computer no longer runs, or the lock has not been touched for
// staleAfter.
func stale(h lockInfo, st fs.FileInfo, host string) bool {
	if !st.Mode().IsRegular() {
		return true
	}
	if time.Since(st.ModTime()) > staleAfter {
		return true
	}
	return h.Host == host && h.PID > 0 && h.PID != os.Getpid() && !alive(h.PID)
}

// beat touches the lock so other runs see it is held.
func (l *lock) beat() {
	defer close(l.done)
	t := time.NewTicker(heartbeat)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
			now := time.Now()
			l.d.root.Chtimes(LockName, now, now)
		}
	}
}

// release removes the lock if it is still this run's.
func (l *lock) release() {
	close(l.stop)
	<-l.done
	if h, st, err := readLock(l.d); err == nil && st.Mode().IsRegular() && h == l.info {
		l.d.root.Remove(LockName)
	}
}

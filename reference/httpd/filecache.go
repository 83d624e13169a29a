package httpd

import (
	"io/fs"
	"sync"
	"syscall"
	"time"
)

// Bounds of fileCache: the pages of an exercise are small and few; a
// larger file, or a larger tree served with `grader serve http`, is read
// for every request as before.
const (
	maxCachedFile  = 1 << 20
	maxCachedFiles = 256
)

// settled is how long ago a file must have last changed for its content
// to be cached: a change time is only as fine as the kernel's clock tick,
// so a file written twice within one tick, to the same size, would keep
// the same stat; one that has not changed for a second cannot be in the
// middle of such writes.
const settled = time.Second

// fileCache keeps the content and ETag of the files served from a real
// directory, so a client fetching the same page again costs neither a
// read nor a SHA-256 (under keep-alive load they were most of a request's
// time). An entry is used only while the file's stat is the same (inode,
// size, modification and change times: any write changes the change
// time), so a file edited or replaced on disk is read again. Files of
// other fs.FS (an embed.FS, an fstest.MapFS), whose stat says less, are
// read every time.
type fileCache struct {
	mu sync.Mutex
	m  map[string]cachedFile
}

type cachedFile struct {
	id   statID
	data []byte
	etag string
}

// statID is what must stay the same for a cached content to still be the
// file's.
type statID struct {
	ino, size  int64
	mod, ctime time.Time
}

// read returns the content of name, whose stat is st, and its ETag. The
// content may be shared: it must not be modified.
func (c *fileCache) read(fsys fs.FS, name string, st fs.FileInfo) ([]byte, string, error) {
	sys, real := st.Sys().(*syscall.Stat_t)
	var id statID
	if real {
		id = statID{ino: int64(sys.Ino), size: st.Size(), mod: st.ModTime(), ctime: changeTime(sys)}
		c.mu.Lock()
		e, ok := c.m[name]
		c.mu.Unlock()
		if ok && e.id == id {
			return e.data, e.etag, nil
		}
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, "", err
	}
	etag := ETag(data)
	// Kept only when the file did not change while it was read (its size
	// is still the stat's) and has been still for a while.
	if real && int64(len(data)) == id.size && len(data) <= maxCachedFile && time.Since(id.ctime) > settled {
		c.mu.Lock()
		if c.m == nil {
			c.m = map[string]cachedFile{}
		}
		if _, ok := c.m[name]; ok || len(c.m) < maxCachedFiles {
			c.m[name] = cachedFile{id: id, data: data, etag: etag}
		}
		c.mu.Unlock()
	}
	return data, etag, nil
}

package agent

// A Unix socket's address holds at most 107 bytes of path on Linux and
// 103 on macOS (sun_path, with its NUL). A socket folder under a long
// HOME, XDG_RUNTIME_DIR or XDG_CACHE_HOME passes that: the agent then
// binds, and clients connect, through a short name for the same socket
// (sockAddr, per OS), and every other use of the socket (Lstat, Remove)
// keeps its real path.

// noRelease is sockAddr's release when nothing was opened.
func noRelease() {}

// Package prefault maps, in a few system calls at start-up, memory that a
// short mfa-git command would otherwise fault in one page at a time: the
// program's code, and up to a megabyte of the Go heap from where its next
// allocations go (less when the runtime's current 4 MB piece of heap ends
// sooner).
//
// git runs mfa-git on every fetch and push, and almost all of a cached
// answer's time is the process starting: the Go runtime, and package
// initialisers (the AWS SDK's endpoint tables, net/http, crypto) that
// touch a few hundred fresh pages, each a page fault. Faults are dear on
// virtual machines: 11 to 14 µs a page on the one mfa-git is tested on,
// against 0.7 µs a page for the same pages mapped by one
// madvise(MADV_POPULATE_WRITE). bench/run.sh shows the effect.
//
// The work is done by this package's initialiser, which imports only
// syscall and unsafe: Go initialises packages in import-path order among
// those whose imports are ready, so it runs before the SDK, net and crypto
// packages whose initialisers touch that memory (the end-to-end script
// startup-prefault checks the order).
//
// Nothing here changes what any memory holds: populated heap pages are
// the zero pages the runtime would have been given on first touch, and
// code pages are mapped read-only from the page cache (the first run
// after the program left the cache reads all its code, about 5 MB, at
// once rather than piece by piece). Any failure (a kernel older than 5.14,
// which lacks MADV_POPULATE_*, or a sandbox that refuses madvise) leaves
// things as they would have been without it. On other systems the package
// does nothing.
package prefault

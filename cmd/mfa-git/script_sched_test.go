package main

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The end-to-end scripts spend most of their time waiting: for the next
// 30-second code step, for a short session to expire, for a D-Bus
// deadline. go test's -parallel starts them in file-name order, so the
// long ones (push-expiry, logout-inflight) started last and the package
// ended a minute after everything else. test.sh therefore lets every
// script start (-parallel 64) and this scheduler admits them: longest
// first, by weight, within a number of slots per CPU. A few scripts start
// dozens of processes at once and take more slots, so they never meet
// each other or many others (20 logins against one gnome-keyring overran
// its 10 s D-Bus deadline when eight scripts of any kind ran beside them).
// Run alone (go test -run TestScript/NAME), a script is admitted at once.

// scriptSlotsPerCPU is how many light scripts may run per CPU.
const scriptSlotsPerCPU = 4

// slowScripts are the scripts that take longest, longest first, as
// measured with `./test.sh -json -run TestScript ./cmd/mfa-git`; every
// other script comes after them, by name. Out of date, the order only
// costs time.
var slowScripts = []string{
	"push-expiry", "logout-inflight", "concurrent-logins", "keyring-gone",
	"add-killed", "codecommit-url", "doctor", "agent-refresh", "load",
	"file-passphrase", "credential-process", "disk-full", "agent-untrusted",
	"roles-sandbox", "roles-git", "codecommit-doctor", "roles",
}

// heavyScripts start dozens of processes or logins at once. Each takes
// half of all slots, and the test run's "heavy" lock, which the keystore's
// 20 logins against the Secret Service take too (testenv.HoldHeavy): two
// such tests at once, in this binary or another package's, starve each
// other past the Secret Service's 10 s deadline.
var heavyScripts = map[string]bool{"concurrent-logins": true, "load": true}

// scriptWeight is how many slots a script takes.
func scriptWeight(name string, slots int) int {
	switch {
	case heavyScripts[name]:
		return slots / 2
	case name == "add-killed":
		return 2
	}
	return 1
}

// scriptName is the script's name in the test name TestScript/NAME.
func scriptName(test string) string { return test[strings.LastIndex(test, "/")+1:] }

// scriptRank orders waiting scripts: the slow ones by their place in
// slowScripts, then every other one.
func scriptRank(name string) int {
	if i := slices.Index(slowScripts, name); i >= 0 {
		return i
	}
	return len(slowScripts)
}

// scheduler admits scripts into a fixed number of slots, in rank order:
// a waiting script is admitted only when it is first among those waiting
// (by rank, then name) and its weight fits.
type scheduler struct {
	mu      sync.Mutex
	cond    *sync.Cond
	free    int
	slots   int
	waiting []string
	rank    func(name string) int
	weight  func(name string, slots int) int
	admit   func(name string) // told of each admission, in order (tests)
}

func newScheduler(slots int, rank func(string) int, weight func(string, int) int) *scheduler {
	s := &scheduler{free: slots, slots: slots, rank: rank, weight: weight, admit: func(string) {}}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// scripts is the one scheduler of this test binary's scripts.
var scripts = newScheduler(scriptSlotsPerCPU*runtime.NumCPU(), scriptRank, scriptWeight)

// acquire waits until the script named by test (TestScript/NAME) may
// run, and returns the function that gives its slots back.
func (s *scheduler) acquire(test string) (release func()) {
	name := scriptName(test)
	weight := min(s.weight(name, s.slots), s.slots)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.waiting = append(s.waiting, name)
	for s.first() != name || s.free < weight {
		s.cond.Wait()
	}
	s.waiting = slices.DeleteFunc(s.waiting, func(w string) bool { return w == name })
	s.free -= weight
	s.admit(name)
	s.cond.Broadcast() // the next one in line may fit too
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.free += weight
		s.cond.Broadcast()
	}
}

// first is the waiting script to admit next.
func (s *scheduler) first() string {
	return slices.MinFunc(s.waiting, func(a, b string) int {
		if ra, rb := s.rank(a), s.rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
}

func TestSchedulerAdmitsLongestFirstByWeight(t *testing.T) {
	// Each step releases one running script; after it, exactly these
	// scripts are admitted, in this order.
	type step struct {
		release string
		admits  []string
	}
	tests := []struct {
		name    string
		slots   int
		waiters []string
		steps   []step
	}{
		{"slow ones first, then by name", 4, []string{"zeta", "push-expiry", "alpha", "logout-inflight"},
			[]step{{"holder", []string{"push-expiry", "logout-inflight", "alpha", "zeta"}}}},
		{"heavy scripts take half the slots", 4, []string{"b", "load", "concurrent-logins", "a"},
			[]step{
				{"holder", []string{"concurrent-logins", "load"}},
				{"load", []string{"a", "b"}},
			}},
		{"the first in line is not overtaken", 4, []string{"add-killed", "push-expiry", "x"},
			[]step{
				{"holder", []string{"push-expiry", "add-killed", "x"}},
			}},
		{"a heavy script waits for room, and those behind it wait too", 4, []string{"z", "load", "keyring-gone", "logout-inflight", "push-expiry"},
			[]step{
				{"holder", []string{"push-expiry", "logout-inflight", "keyring-gone"}},
				{"push-expiry", []string{"load"}},
				{"load", []string{"z"}},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			weight := func(name string, slots int) int {
				if name == "holder" {
					return slots
				}
				return scriptWeight(name, slots)
			}
			s := newScheduler(tt.slots, scriptRank, weight)
			admitted := make(chan string, len(tt.waiters)+1)
			s.admit = func(name string) { admitted <- name }
			releases := map[string]func(){"holder": s.acquire("TestScript/holder")}
			<-admitted
			var mu sync.Mutex
			for _, w := range tt.waiters {
				go func() {
					r := s.acquire("TestScript/" + w)
					mu.Lock()
					releases[w] = r
					mu.Unlock()
				}()
			}
			for {
				s.mu.Lock()
				n := len(s.waiting)
				s.mu.Unlock()
				if n == len(tt.waiters) {
					break
				}
				runtime.Gosched()
			}
			for _, st := range tt.steps {
				// A waiter is admitted (s.admit) just before its acquire
				// returns the release that its goroutine records.
				var release func()
				for release == nil {
					mu.Lock()
					release = releases[st.release]
					mu.Unlock()
					runtime.Gosched()
				}
				release()
				for _, want := range st.admits {
					if got := <-admitted; got != want {
						t.Fatalf("after %s ended, admitted %s, want %s", st.release, got, want)
					}
				}
				// Whoever is admitted next waits for another release.
				select {
				case got := <-admitted:
					t.Fatalf("after %s ended, also admitted %s", st.release, got)
				default:
				}
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			if len(s.waiting) != 0 {
				t.Fatalf("still waiting: %v", s.waiting)
			}
		})
	}
}

// Command cmdbench times whole commands: each is run -n times with the
// same standard input, interleaved so that machine noise hits all of them
// alike, and the median, p90 and p99 wall times are printed, with each
// command's median as a ratio of the first command's.
//
// usage: cmdbench -n 200 -stdin req.txt -- NAME=CMD [ARG...] ';' NAME=CMD ...
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

type target struct {
	name  string
	argv  []string
	times []time.Duration
}

func main() {
	n := flag.Int("n", 100, "runs per command")
	stdinFile := flag.String("stdin", "", "file fed to every run's standard input")
	flag.Parse()
	var input []byte
	if *stdinFile != "" {
		b, err := os.ReadFile(*stdinFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "cmdbench:", err)
			os.Exit(1)
		}
		input = b
	}
	var targets []*target
	var cur []string
	flush := func() {
		if len(cur) == 0 {
			return
		}
		name, first, ok := strings.Cut(cur[0], "=")
		if !ok {
			fmt.Fprintln(os.Stderr, "cmdbench: each command starts with NAME=")
			os.Exit(2)
		}
		targets = append(targets, &target{name: name, argv: append([]string{first}, cur[1:]...)})
		cur = nil
	}
	for _, a := range flag.Args() {
		if a == ";" {
			flush()
			continue
		}
		cur = append(cur, a)
	}
	flush()
	if len(targets) == 0 {
		fmt.Fprintln(os.Stderr, "cmdbench: no commands")
		os.Exit(2)
	}
	for i := 0; i < *n+3; i++ {
		for _, t := range targets {
			cmd := exec.Command(t.argv[0], t.argv[1:]...)
			cmd.Stdin = bytes.NewReader(input)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			start := time.Now()
			err := cmd.Run()
			d := time.Since(start)
			if err != nil {
				fmt.Fprintf(os.Stderr, "cmdbench: %s failed: %v\n%s", t.name, err, out.String())
				os.Exit(1)
			}
			if i >= 3 { // warm-up runs are not counted
				t.times = append(t.times, d)
			}
		}
	}
	base := median(targets[0].times)
	fmt.Printf("%-28s %10s %10s %10s %8s\n", "command", "median", "p90", "p99", "ratio")
	for _, t := range targets {
		m := median(t.times)
		fmt.Printf("%-28s %10s %10s %10s %7.2fx\n", t.name, round(m), round(pct(t.times, 90)), round(pct(t.times, 99)), float64(m)/float64(base))
	}
}

func median(d []time.Duration) time.Duration { return pct(d, 50) }

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)-1)*p/100]
}

func round(d time.Duration) string { return d.Round(10 * time.Microsecond).String() }

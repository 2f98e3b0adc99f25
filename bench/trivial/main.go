// Command trivial is the benchmark's floor: a Go program that reads a git
// credential request from stdin and prints two lines.
package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() && sc.Text() != "" {
	}
	fmt.Println("username=AKIAEXAMPLE")
	fmt.Println("password=example")
}

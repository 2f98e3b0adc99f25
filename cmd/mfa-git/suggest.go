package main

import "strings"

// nearest returns the word of words closest to typed, for a "did you
// mean" hint, or "" when none is close enough to be a likely typo: at
// most one edit for short words, two for longer ones (an edit is an
// insertion, deletion, substitution or swap of two neighbours), or
// typed is the start of exactly one word.
func nearest(typed string, words []string) string {
	typed = strings.ToLower(typed)
	best, bestDist := "", 3
	prefixOf := []string{}
	for _, w := range words {
		if len(typed) >= 2 && strings.HasPrefix(w, typed) {
			prefixOf = append(prefixOf, w)
		}
		if d := editDistance(typed, w); d < bestDist {
			best, bestDist = w, d
		}
	}
	limit := 1
	if len(typed) > 4 {
		limit = 2
	}
	switch {
	case bestDist <= limit:
		return best
	case len(prefixOf) == 1:
		return prefixOf[0]
	}
	return ""
}

// editDistance is the optimal string alignment distance between a and b:
// the fewest insertions, deletions, substitutions and swaps of adjacent
// bytes that turn a into b.
func editDistance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

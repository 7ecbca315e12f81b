// The reference for the project's regular expressions: Go's own regexp, used as stern uses it.
// Reads one JSON request on stdin and writes one JSON answer on stdout; strings travel as hex
// so that invalid UTF-8 survives the trip.
package main

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
)

type pattern struct {
	Pattern string   `json:"p"`
	Inputs  []string `json:"in"`
}

type joined struct {
	Patterns []string `json:"ps"`
	Inputs   []string `json:"in"`
}

type request struct {
	Patterns []pattern `json:"patterns"`
	Joins    []joined  `json:"joins"`
}

type result struct {
	Err       string   `json:"err"`
	Match     []bool   `json:"match"`
	Highlight []string `json:"hl"`
}

type answer struct {
	Patterns []result `json:"patterns"`
	Joins    []result `json:"joins"`
}

func unhex(s string) string {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// stern's highlight: the matches replaced by themselves in bold red, as fatih/color 1.19 writes
// it (each attribute reset by its own code: 0 for the color, 22 for bold).
func paint(s string) string { return "\x1b[31;1m" + s + "\x1b[0;22m" }

func highlight(re *regexp.Regexp, s string) string {
	return hex.EncodeToString([]byte(re.ReplaceAllStringFunc(s, func(m string) string { return paint(m) })))
}

func run(re *regexp.Regexp, inputs []string) result {
	r := result{Match: []bool{}, Highlight: []string{}}
	for _, in := range inputs {
		s := unhex(in)
		r.Match = append(r.Match, re.MatchString(s))
		r.Highlight = append(r.Highlight, highlight(re, s))
	}
	return r
}

// As stern's HighlightMatchedString: every pattern compiled alone first, then their sources,
// longest first, joined into "(p1|p2|...)".
func join(ps []string) (re *regexp.Regexp, err error) {
	ss := make([]string, 0, len(ps))
	for _, p := range ps {
		one, err := regexp.Compile(p)
		if err != nil {
			return nil, err
		}
		ss = append(ss, one.String())
	}
	sort.Slice(ss, func(i, j int) bool { return len(ss[i]) > len(ss[j]) })
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("%v", v)
		}
	}()
	return regexp.MustCompile("(" + strings.Join(ss, "|") + ")"), nil
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		panic(err)
	}
	ans := answer{Patterns: []result{}, Joins: []result{}}
	for _, c := range req.Patterns {
		re, err := regexp.Compile(c.Pattern)
		if err != nil {
			ans.Patterns = append(ans.Patterns, result{Err: err.Error(), Match: []bool{}, Highlight: []string{}})
			continue
		}
		r := run(re, c.Inputs)
		// Highlighting goes through the joined form, "(p)", even for one pattern.
		if hl, err := join([]string{c.Pattern}); err == nil {
			r.Highlight = run(hl, c.Inputs).Highlight
		} else {
			r.Highlight = []string{err.Error()}
		}
		ans.Patterns = append(ans.Patterns, r)
	}
	for _, j := range req.Joins {
		re, err := join(j.Patterns)
		if err != nil {
			ans.Joins = append(ans.Joins, result{Err: err.Error(), Match: []bool{}, Highlight: []string{}})
			continue
		}
		ans.Joins = append(ans.Joins, run(re, j.Inputs))
	}
	if err := json.NewEncoder(os.Stdout).Encode(ans); err != nil {
		panic(err)
	}
}

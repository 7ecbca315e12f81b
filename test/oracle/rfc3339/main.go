// The reference for the timestamps --stdin keeps under -t (stern PR #380): a line's first word is its
// timestamp when time.Parse(time.RFC3339Nano, word) takes it, and it is shown as stern's
// UpdateTimezoneAndFormat shows it, in each zone and both --timestamps formats. Reads one JSON request
// on stdin and writes, for each value, whether Go took it, its instant and its formatted forms.
package main

import (
	"encoding/json"
	"os"
	"time"
)

const (
	formatDefault = "2006-01-02T15:04:05.000000000Z07:00"
	formatShort   = "01-02 15:04:05"
)

type request struct {
	Values []string `json:"values"`
	Zones  []string `json:"zones"`
}

type result struct {
	OK   bool     `json:"ok"`
	Unix int64    `json:"unix"`
	Nsec int      `json:"nsec"`
	Out  []string `json:"out"`
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		panic(err)
	}
	locs := []*time.Location{}
	for _, z := range req.Zones {
		loc, err := time.LoadLocation(z)
		if err != nil {
			panic(err)
		}
		locs = append(locs, loc)
	}
	out := []result{}
	for _, v := range req.Values {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			out = append(out, result{Out: []string{}})
			continue
		}
		r := result{OK: true, Unix: t.Unix(), Nsec: t.Nanosecond(), Out: []string{}}
		for _, loc := range locs {
			r.Out = append(r.Out, t.In(loc).Format(formatDefault), t.In(loc).Format(formatShort))
		}
		out = append(out, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

// The reference for the project's command-line parsing: spf13/pflag, as cobra sets it up for stern
// (interspersed flags, a -h/--help flag), with the project's flag table. Reads one JSON request on
// stdin (the flags, then command lines) and writes, for each line, pflag's error or what it set.
package main

import (
	"encoding/json"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

type flagSpec struct {
	Name  string `json:"name"`
	Short string `json:"short"`
	Type  string `json:"type"`
	NoOpt string `json:"noOpt"`
}

type request struct {
	Flags []flagSpec `json:"flags"`
	Lines [][]string `json:"lines"`
}

type result struct {
	Err     string                 `json:"err"`
	Changed map[string]interface{} `json:"changed"`
	Args    []string               `json:"args"`
	Dash    int                    `json:"dash"`
}

// Each flag bound to a variable, as stern binds them (pflag's getters re-parse lists from text).
type bound struct {
	spec flagSpec
	ptr  interface{}
}

func declare(fs *pflag.FlagSet, f flagSpec) bound {
	var p interface{}
	switch f.Type {
	case "bool":
		p = fs.BoolP(f.Name, f.Short, false, "")
	case "int":
		p = fs.Int64P(f.Name, f.Short, 0, "")
	case "float":
		p = fs.Float32P(f.Name, f.Short, 0, "")
	case "duration":
		p = fs.DurationP(f.Name, f.Short, 0, "")
	case "stringArray":
		p = fs.StringArrayP(f.Name, f.Short, []string{"default"}, "")
	case "stringSlice":
		p = fs.StringSliceP(f.Name, f.Short, []string{"default"}, "")
	default:
		p = fs.StringP(f.Name, f.Short, "", "")
	}
	if f.NoOpt != "" {
		fs.Lookup(f.Name).NoOptDefVal = f.NoOpt
	}
	return bound{f, p}
}

// The value pflag set, in a form both sides can write: numbers as decimal text (float32 as the
// float64 it widens to), durations in nanoseconds, lists as lists.
func value(b bound) interface{} {
	switch p := b.ptr.(type) {
	case *bool:
		return *p
	case *int64:
		return strconv.FormatInt(*p, 10)
	case *float32:
		w := float64(*p)
		if math.IsInf(w, 0) || math.IsNaN(w) {
			return strconv.FormatFloat(w, 'g', -1, 64)
		}
		return w
	case *time.Duration:
		return strconv.FormatInt(int64(*p), 10)
	case *[]string:
		return append([]string{}, (*p)...)
	case *string:
		return *p
	}
	panic("unknown flag type")
}

func main() {
	var req request
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		panic(err)
	}
	out := []result{}
	for _, line := range req.Lines {
		fs := pflag.NewFlagSet("stern", pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		specs := append([]flagSpec{}, req.Flags...)
		// cobra's own help flag.
		specs = append(specs, flagSpec{Name: "help", Short: "h", Type: "bool"})
		flags := []bound{}
		for _, f := range specs {
			flags = append(flags, declare(fs, f))
		}
		r := result{Changed: map[string]interface{}{}, Args: []string{}}
		if err := fs.Parse(line); err != nil {
			r.Err = err.Error()
		} else {
			for _, b := range flags {
				if fs.Changed(b.spec.Name) {
					r.Changed[b.spec.Name] = value(b)
				}
			}
			r.Args = append(r.Args, fs.Args()...)
			r.Dash = fs.ArgsLenAtDash()
		}
		out = append(out, r)
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

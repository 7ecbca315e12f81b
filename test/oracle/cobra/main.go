// The reference for what the command prints about itself: spf13/cobra with stern's command (its Use,
// Short and usage template, from stern's cmd/cmd.go) and the project's flag table declared in pflag.
// Reads one JSON request on stdin and writes what cobra prints for --help, what stern's
// --show-hidden-options prints, the completion scripts of stern's --completion, and cobra's
// `__complete` answers for command lines, its completion functions replaced by stubs that answer
// what the request says and report how they were called.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

type flagSpec struct {
	Name    string          `json:"name"`
	Short   string          `json:"short"`
	Type    string          `json:"type"`
	Default json.RawMessage `json:"default"`
	Usage   string          `json:"usage"`
	Hidden  bool            `json:"hidden"`
	NoOpt   string          `json:"noOpt"`
}

type stub struct {
	Comps     []string `json:"comps"`
	Directive int      `json:"directive"`
}

type request struct {
	Use         string          `json:"use"`
	Short       string          `json:"short"`
	UsageSuffix string          `json:"usageSuffix"`
	Flags       []flagSpec      `json:"flags"`
	Help        [][]string      `json:"help"`
	FlagStubs   map[string]stub `json:"flagStubs"`
	ArgsStub    *stub           `json:"argsStub"`
	Complete    [][]string      `json:"complete"`
	// Environment for the __complete runs (BASH_COMP_DEBUG_FILE, <PROGRAM>_ACTIVE_HELP).
	CompleteEnv map[string]string `json:"completeEnv"`
}

type run struct {
	Stdout string `json:"stdout"`
	Stderr string `json:"stderr"`
	Failed bool   `json:"failed"`
}

type response struct {
	Help     []run             `json:"help"`
	Hidden   run               `json:"hidden"`
	Scripts  map[string]string `json:"scripts"`
	Complete []run             `json:"complete"`
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// declare adds a flag with its pflag type and its default, as stern's AddFlags does.
func declare(fs *pflag.FlagSet, f flagSpec) {
	switch f.Type {
	case "bool":
		var d bool
		must(json.Unmarshal(f.Default, &d))
		fs.BoolP(f.Name, f.Short, d, f.Usage)
	case "int":
		var d int64
		must(json.Unmarshal(f.Default, &d))
		fs.Int64P(f.Name, f.Short, d, f.Usage)
	case "float":
		var d float32
		must(json.Unmarshal(f.Default, &d))
		fs.Float32P(f.Name, f.Short, d, f.Usage)
	case "duration":
		var s string
		must(json.Unmarshal(f.Default, &s))
		d, err := time.ParseDuration(s)
		must(err)
		fs.DurationP(f.Name, f.Short, d, f.Usage)
	case "stringArray":
		var d []string
		must(json.Unmarshal(f.Default, &d))
		fs.StringArrayP(f.Name, f.Short, d, f.Usage)
	case "stringSlice":
		var d []string
		must(json.Unmarshal(f.Default, &d))
		fs.StringSliceP(f.Name, f.Short, d, f.Usage)
	case "string":
		var d string
		must(json.Unmarshal(f.Default, &d))
		fs.StringP(f.Name, f.Short, d, f.Usage)
	default:
		panic("unknown flag type " + f.Type)
	}
	if f.NoOpt != "" {
		fs.Lookup(f.Name).NoOptDefVal = f.NoOpt
	}
	if f.Hidden {
		fs.Lookup(f.Name).Hidden = true
	}
}

// call reports how cobra called a completion function, as one more completion line.
func call(fn string, args []string, toComplete string) string {
	return fmt.Sprintf("call %s [%s] <%s>", fn, strings.Join(args, "|"), toComplete)
}

// command builds stern's root command as NewSternCmd does.
func command(req request) *cobra.Command {
	cmd := &cobra.Command{
		Use:   req.Use,
		Short: req.Short,
		RunE:  func(cmd *cobra.Command, args []string) error { return nil },
	}
	if req.ArgsStub != nil {
		s := *req.ArgsStub
		cmd.ValidArgsFunction = func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return append(append([]string{}, s.Comps...), call("args", args, toComplete)), cobra.ShellCompDirective(s.Directive)
		}
	}
	cmd.SetUsageTemplate(cmd.UsageTemplate() + req.UsageSuffix)
	for _, f := range req.Flags {
		declare(cmd.Flags(), f)
	}
	for name, s := range req.FlagStubs {
		name, s := name, s
		must(cmd.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return append(append([]string{}, s.Comps...), call(name, args, toComplete)), cobra.ShellCompDirective(s.Directive)
		}))
	}
	return cmd
}

// execute runs the command on args as stern's main does (no writer set: cobra writes to os.Stdout
// and os.Stderr, which are files here, read back after the run).
func execute(cmd *cobra.Command, args []string) run {
	cmd.SetArgs(args)
	outFile, errFile := temp(), temp()
	savedOut, savedErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = outFile, errFile
	failed := cmd.Execute() != nil
	os.Stdout, os.Stderr = savedOut, savedErr
	return run{Stdout: readBack(outFile), Stderr: readBack(errFile), Failed: failed}
}

func temp() *os.File {
	f, err := os.CreateTemp("", "cobra-oracle")
	must(err)
	must(os.Remove(f.Name()))
	return f
}

func readBack(f *os.File) string {
	_, err := f.Seek(0, io.SeekStart)
	must(err)
	b, err := io.ReadAll(f)
	must(err)
	must(f.Close())
	return string(b)
}

func main() {
	var req request
	must(json.NewDecoder(os.Stdin).Decode(&req))
	res := response{Scripts: map[string]string{}, Help: []run{}, Complete: []run{}}

	for _, args := range req.Help {
		res.Help = append(res.Help, execute(command(req), args))
	}

	// stern's outputHiddenOptions: the header on stdout, then PrintDefaults of a new flag set with
	// every flag's Hidden flipped, which pflag writes to its output (stderr unless set).
	{
		fs := pflag.NewFlagSet("", pflag.ExitOnError)
		for _, f := range req.Flags {
			declare(fs, f)
		}
		fs.VisitAll(func(f *pflag.Flag) { f.Hidden = !f.Hidden })
		var errOut bytes.Buffer
		fs.SetOutput(&errOut)
		fs.PrintDefaults()
		res.Hidden = run{Stdout: "The following options can also be used in stern:\n", Stderr: errOut.String()}
	}

	// stern's runCompletion (cmd/flag_completion.go) for zsh and fish; bash and PowerShell as cobra's
	// own `completion` command writes them (bash v2 and PowerShell, with descriptions).
	{
		cmd := command(req)
		var b bytes.Buffer
		must(cmd.GenBashCompletionV2(&b, true))
		res.Scripts["bash"] = b.String()
		b.Reset()
		must(cmd.GenZshCompletion(&b))
		fmt.Fprintf(&b, "compdef _stern stern")
		res.Scripts["zsh"] = b.String()
		b.Reset()
		must(cmd.GenFishCompletion(&b, true))
		res.Scripts["fish"] = b.String()
		b.Reset()
		must(cmd.GenPowerShellCompletionWithDesc(&b))
		res.Scripts["powershell"] = b.String()
	}

	for k, v := range req.CompleteEnv {
		must(os.Setenv(k, v))
	}
	for _, args := range req.Complete {
		res.Complete = append(res.Complete, execute(command(req), args))
	}

	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	must(enc.Encode(res))
}

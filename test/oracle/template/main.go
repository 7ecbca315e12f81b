// The reference for the project's templates: Go's text/template with a Go rendering of stern's
// template functions (cmd/cmd.go, cmd/helper.go), its Log record (./stern), fatih/color 1.19's
// output (./color), written for this test from their documented behaviour, and spf13/cast itself
// (Debian's golang-github-spf13-cast-dev, 1.5.0: stern has 1.10, whose StringToDate tries the same
// layouts with "2006-01-02" first, which no other layout's strings match). Reads one JSON request on stdin and writes, for each case, the error or the output
// (as hex: bytes as they are, invalid UTF-8 included).
package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/spf13/cast"

	"./color"
	"./stern"
)

// stern's parseUnixTimeNanoString: "sec" or "sec.frac", the fraction cut or padded to nanoseconds.
func unixNano(num string) (time.Time, bool) {
	parts := strings.Split(num, ".")
	if len(parts) > 2 {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var nsec int64
	if len(parts) == 2 {
		frac := (parts[1] + "000000000")[:9]
		if nsec, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return time.Time{}, false
		}
	}
	return time.Unix(sec, nsec), true
}

func toTimeE(a interface{}) (time.Time, error) {
	switch v := a.(type) {
	case string:
		if t, ok := unixNano(v); ok {
			return t, nil
		}
	case json.Number:
		if t, ok := unixNano(v.String()); ok {
			return t, nil
		}
	}
	return castToTime(a)
}

// spf13/cast 1.10's ToTimeE (time.go), stern's version: strings go through Debian's cast (its
// StringToDate and layouts), the other types as 1.10 takes them (1.5 fails on nil and says "to Time").
func castToTime(i interface{}) (time.Time, error) {
	switch v := i.(type) {
	case time.Time:
		return v, nil
	case string:
		return cast.StringToDate(v)
	case json.Number:
		s := string(v)
		// A zero fraction is cut ("12.000" is 12) before json.Number's Int64.
		if i := strings.IndexByte(s, '.'); i >= 0 && strings.Trim(s[i+1:], "0") == "" {
			s = s[:i]
		}
		n, err := json.Number(s).Int64()
		if err != nil {
			return time.Time{}, fmt.Errorf("unable to cast %#v of type %T to %T", i, i, time.Time{})
		}
		return time.Unix(n, 0), nil
	case int:
		return time.Unix(int64(v), 0), nil
	case int64:
		return time.Unix(v, 0), nil
	case nil:
		return time.Time{}, nil
	}
	return time.Time{}, fmt.Errorf("unable to cast %#v of type %T to %T", i, i, time.Time{})
}

func levelColor(value interface{}) string {
	level, ok := value.(string)
	if !ok {
		return ""
	}
	var c *color.Color
	switch strings.ToLower(level) {
	case "debug":
		c = color.New(35)
	case "info":
		c = color.New(34)
	case "warn", "warning":
		c = color.New(33)
	case "error", "dpanic", "panic":
		c = color.New(31)
	case "fatal", "critical":
		c = color.New(36)
	default:
		return level
	}
	return c.SprintFunc()(level)
}

func bunyanLevelColor(value interface{}) string {
	var lv int64
	switch level := value.(type) {
	case json.Number:
		n, err := level.Int64()
		if err != nil {
			return ""
		}
		lv = n
	case float64:
		lv = int64(level)
	default:
		return ""
	}
	var c *color.Color
	switch {
	case lv < 30:
		c = color.New(35)
	case lv < 40:
		c = color.New(34)
	case lv < 50:
		c = color.New(33)
	case lv < 60:
		c = color.New(31)
	case lv < 100:
		c = color.New(36)
	default:
		return strconv.FormatInt(lv, 10)
	}
	return c.SprintFunc()(lv)
}

// stern's extractJSONPart (PR #373): the literal top-level key first, then a dotted path through
// nested objects; missing keys and non-objects on the way are nil.
func extractJSONPart(obj map[string]interface{}, key string) interface{} {
	if v, ok := obj[key]; ok {
		return v
	}
	var current interface{} = obj
	for _, segment := range strings.Split(key, ".") {
		m, ok := current.(map[string]interface{})
		if !ok {
			return nil
		}
		if current, ok = m[segment]; !ok {
			return nil
		}
	}
	return current
}

func jsonParts(obj map[string]interface{}, part []string) string {
	parts := []string{}
	for _, key := range part {
		parts = append(parts, fmt.Sprintf("%v", extractJSONPart(obj, key)))
	}
	return strings.Join(parts, ", ")
}

var funcs = template.FuncMap{
	"json": func(in interface{}) (string, error) {
		b, err := json.Marshal(in)
		return string(b), err
	},
	"tryParseJSON": func(text string) map[string]interface{} {
		d := json.NewDecoder(strings.NewReader(text))
		d.UseNumber()
		obj := map[string]interface{}{}
		if err := d.Decode(&obj); err != nil {
			return nil
		}
		return obj
	},
	"parseJSON": func(text string) (map[string]interface{}, error) {
		obj := map[string]interface{}{}
		err := json.Unmarshal([]byte(text), &obj)
		return obj, err
	},
	"extractJSONParts": func(text string, part ...string) (string, error) {
		obj := map[string]interface{}{}
		if err := json.Unmarshal([]byte(text), &obj); err != nil {
			return "", err
		}
		return jsonParts(obj, part), nil
	},
	"tryExtractJSONParts": func(text string, part ...string) string {
		obj := map[string]interface{}{}
		if err := json.Unmarshal([]byte(text), &obj); err != nil {
			return text
		}
		return jsonParts(obj, part)
	},
	"extjson": func(in string) (string, error) {
		if json.Valid([]byte(in)) {
			return strings.TrimSuffix(in, "\n"), nil
		}
		b, err := json.Marshal(in)
		return strings.TrimSuffix(string(b), "\n"), err
	},
	"prettyJSON": func(value interface{}) string {
		var data map[string]interface{}
		switch v := value.(type) {
		case string:
			if err := json.Unmarshal([]byte(v), &data); err != nil {
				return v
			}
		case map[string]interface{}:
			data = v
		default:
			return fmt.Sprintf("%v", value)
		}
		b, err := json.MarshalIndent(data, "", "  ")
		if err != nil {
			return fmt.Sprintf("%v", value)
		}
		return string(b)
	},
	"toRFC3339Nano": func(ts interface{}) string {
		t, _ := toTimeE(ts)
		return t.Format(time.RFC3339Nano)
	},
	"toUTC": func(ts interface{}) time.Time {
		t, _ := toTimeE(ts)
		return t.UTC()
	},
	"toTimestamp": func(ts interface{}, layout string, optionalTZ ...string) (string, error) {
		t, err := toTimeE(ts)
		if err != nil {
			return "", err
		}
		tz := ""
		if len(optionalTZ) > 0 {
			tz = optionalTZ[0]
		}
		loc, err := time.LoadLocation(tz)
		if err != nil {
			return "", err
		}
		return t.In(loc).Format(layout), nil
	},
	"color": func(c color.Color, text string) string { return c.SprintFunc()(text) },
	"colorCustom": func(text string, args ...color.Attribute) string {
		return color.New(args...).SprintFunc()(text)
	},
	"colorBlack":       color.String(30),
	"colorRed":         color.String(31),
	"colorGreen":       color.String(32),
	"colorYellow":      color.String(33),
	"colorBlue":        color.String(34),
	"colorMagenta":     color.String(35),
	"colorCyan":        color.String(36),
	"colorWhite":       color.String(37),
	"levelColor":       levelColor,
	"bunyanLevelColor": bunyanLevelColor,
}

type tcase struct {
	Template    string            `json:"tpl"`
	Message     string            `json:"msg"`
	Timestamp   string            `json:"ts"`
	NodeName    string            `json:"node"`
	Namespace   string            `json:"ns"`
	PodName     string            `json:"pod"`
	Container   string            `json:"ctr"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	PodColor    []color.Attribute `json:"podColor"`
	CtrColor    []color.Attribute `json:"ctrColor"`
	Colored     bool              `json:"colored"`
}

// All three as hex: errors hold the bytes of the values they quote (invalid UTF-8 included).
type result struct {
	ParseErr string `json:"parseErr"`
	ExecErr  string `json:"execErr"`
	Out      string `json:"out"`
}

func run(c tcase) (r result) {
	color.Enabled = c.Colored
	msg, err := hex.DecodeString(c.Message)
	if err != nil {
		panic(err)
	}
	t, err := template.New("log").Funcs(funcs).Parse(c.Template)
	if err != nil {
		return result{ParseErr: hex.EncodeToString([]byte(err.Error()))}
	}
	log := stern.Log{
		Message: string(msg), Timestamp: c.Timestamp, NodeName: c.NodeName, Namespace: c.Namespace,
		PodName: c.PodName, ContainerName: c.Container, Labels: c.Labels, Annotations: c.Annotations,
		PodColor: color.New(c.PodColor...), ContainerColor: color.New(c.CtrColor...),
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, log); err != nil {
		return result{ExecErr: hex.EncodeToString([]byte(err.Error()))}
	}
	return result{Out: hex.EncodeToString(buf.Bytes())}
}

func main() {
	var cases []tcase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		panic(err)
	}
	out := []result{}
	for _, c := range cases {
		out = append(out, run(c))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

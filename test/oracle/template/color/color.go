// Package color renders fatih/color 1.19's output for the template oracle, with its type names
// (color.Color, color.Attribute) and shapes, so templates print and fail as stern's do.
package color

import (
	"fmt"
	"strconv"
	"strings"
)

type Attribute int

type Color struct {
	params  []Attribute
	noColor *bool
}

// Enabled is the opposite of fatih's NoColor.
var Enabled = true

// fatih/color resets each attribute with its own code (bold and faint 22, italic 23, ...), 0 otherwise.
var resetOf = map[Attribute]Attribute{1: 22, 2: 22, 3: 23, 4: 24, 5: 25, 6: 25, 7: 27, 8: 28, 9: 29}

func New(attrs ...Attribute) *Color { return &Color{params: attrs} }

func (c *Color) wrap(s string) string {
	if !Enabled {
		return s
	}
	on := make([]string, len(c.params))
	off := make([]string, len(c.params))
	for i, p := range c.params {
		on[i] = strconv.Itoa(int(p))
		r, ok := resetOf[p]
		if !ok {
			r = 0
		}
		off[i] = strconv.Itoa(int(r))
	}
	return "\x1b[" + strings.Join(on, ";") + "m" + s + "\x1b[" + strings.Join(off, ";") + "m"
}

func (c *Color) Sprint(a ...interface{}) string { return c.wrap(fmt.Sprint(a...)) }
func (c *Color) Sprintf(format string, a ...interface{}) string {
	return c.wrap(fmt.Sprintf(format, a...))
}
func (c *Color) SprintFunc() func(a ...interface{}) string {
	return func(a ...interface{}) string { return c.wrap(fmt.Sprint(a...)) }
}

// String is fatih's XxxString: printf-style with arguments; a lone argument is the text (1.17+).
func String(attr Attribute) func(format string, a ...interface{}) string {
	return func(format string, a ...interface{}) string {
		if len(a) == 0 {
			return New(attr).SprintFunc()(format)
		}
		return New(attr).wrap(fmt.Sprintf(format, a...))
	}
}

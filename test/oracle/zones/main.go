// The reference for which zone names load (--timezone, toTimestamp): Go's time.LoadLocation, which
// reads the system's zoneinfo files and $ZONEINFO first. Reads {"zoneinfo": dir, "names": [...]} and
// writes, for each name, "" when it loads or Go's error.
package main

import (
	"encoding/json"
	"os"
	"time"
)

func main() {
	var req struct {
		Zoneinfo string   `json:"zoneinfo"`
		Names    []string `json:"names"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&req); err != nil {
		panic(err)
	}
	// Read once, at the first LoadLocation.
	os.Setenv("ZONEINFO", req.Zoneinfo)
	out := []string{}
	for _, n := range req.Names {
		if _, err := time.LoadLocation(n); err != nil {
			out = append(out, err.Error())
		} else {
			out = append(out, "")
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		panic(err)
	}
}

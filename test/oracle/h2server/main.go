// An HTTP/2 server on Go's own stack (net/http and its HTTP/2, as kube-apiserver serves), for testing
// the client's HTTP/2 against it. It listens on 127.0.0.1 with a fresh self-signed certificate and
// prints "PORT <n>"; the same endpoints in plain HTTP/1.1 (as kubectl proxy serves) on "PLAIN <n>".
// Endpoints:
//
//	/headers?seed=S&n=N   N response headers made from S; the body is the same headers as JSON
//	/lines?n=N&every=K    N numbered lines, flushed every K lines (each flush a frame of its own)
//	/reset                resets the stream after a first line
//	/bigheaders?kb=N      N response headers of about 1 KB each (x-big-0 ... x-big-<N-1>)
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"math/big"
	mrand "math/rand"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

func main() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	check(err)
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}

	mux := http.NewServeMux()
	mux.HandleFunc("/headers", func(w http.ResponseWriter, r *http.Request) {
		seed, _ := strconv.ParseInt(r.URL.Query().Get("seed"), 10, 64)
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		rng := mrand.New(mrand.NewSource(seed))
		sent := [][2]string{}
		for i := 0; i < n; i++ {
			// Names and values from small sets (so the dynamic table is hit), some long (so it evicts).
			name := fmt.Sprintf("x-h%d", rng.Intn(12))
			value := strings.Repeat(string(rune('a'+rng.Intn(26))), 1+rng.Intn(40))
			if rng.Intn(5) == 0 {
				value = fmt.Sprintf("%x-%s", rng.Int63(), strings.Repeat("~{}|", rng.Intn(300)))
			}
			w.Header().Add(name, value)
			sent = append(sent, [2]string{name, value})
		}
		w.Header().Set("content-type", "application/json")
		body, _ := json.Marshal(sent)
		w.Write(body)
	})
	mux.HandleFunc("/lines", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		every, _ := strconv.Atoi(r.URL.Query().Get("every"))
		if every < 1 {
			every = 1
		}
		f := w.(http.Flusher)
		for i := 0; i < n; i++ {
			fmt.Fprintf(w, "2026-12-02T00:00:00.%09dZ line %d %s\n", i, i, strings.Repeat("x", i%97))
			if (i+1)%every == 0 {
				f.Flush()
			}
		}
	})
	mux.HandleFunc("/bigheaders", func(w http.ResponseWriter, r *http.Request) {
		kb, _ := strconv.Atoi(r.URL.Query().Get("kb"))
		for i := 0; i < kb; i++ {
			w.Header().Add(fmt.Sprintf("x-big-%d", i), strings.Repeat(string(rune('a'+i%26)), 1000))
		}
		fmt.Fprintf(w, "big\n")
	})
	mux.HandleFunc("/reset", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "first\n")
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	})

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	srv := &http.Server{Handler: mux, TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}}
	plain, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	go func() { check(http.Serve(plain, mux)) }()
	fmt.Printf("PLAIN %d\n", plain.Addr().(*net.TCPAddr).Port)
	fmt.Printf("PORT %d\n", ln.Addr().(*net.TCPAddr).Port)
	os.Stdout.Sync()
	check(srv.ServeTLS(ln, "", ""))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

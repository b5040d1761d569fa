package consoletest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// rpc calls the server's API directly, as another client would, and fails
// the test on an error.
func rpc(t *testing.T, base, token string, body string) string {
	t.Helper()
	out, err := post(base, token, body)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// post sends one RPC call and returns the answer of a 200 response.
func post(base, token, body string) (string, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/rpc", strings.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("POST /rpc %s: %w", body, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("POST /rpc %s = %d %s", body, resp.StatusCode, out)
	}
	return string(bytes.TrimSpace(out)), nil
}

// foreign returns the URLs that are not on host (data: URLs load nothing).
func foreign(urls []string, host string) []string {
	var out []string
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "data" && u.Host != host) {
			out = append(out, raw)
		}
	}
	return out
}

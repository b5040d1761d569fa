package app_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/config"
)

// The whole server serves the group methods on SQLite files, counts groups
// in ns.info, exports lag and checkpoints on /metrics, and deleting a
// namespace deletes its groups.
func TestServerGroups(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	base, banner, _ := startServer(t, cfg)
	admin := adminToken(t, banner.String())
	status, body, _ := call(t, base, admin, `["ns.create","shop"]`)
	if status != 200 {
		t.Fatalf("ns.create = %d %s", status, body)
	}
	token := strings.Split(strings.Split(body, `"token":"`)[1], `"`)[0]
	for range 3 {
		if status, body, _ := call(t, base, token, `["stream.write","account-1",{"type":"Opened","data":{}}]`); status != 200 {
			t.Fatalf("stream.write = %d %s", status, body)
		}
	}
	steps := []struct{ body, want string }{
		{`["group.create","billing",{"category":"account"}]`, `"group":"billing"`},
		{`["group.ack","billing",{"member":0,"globalPosition":1}]`, `{"member":0,"globalPosition":1}`},
		{`["ns.info","shop"]`, `"groupCount":1`},
	}
	for _, s := range steps {
		if status, body, _ := call(t, base, token, s.body); status != 200 || !strings.Contains(body, s.want) {
			t.Fatalf("%s = %d %s, want %s", s.body, status, body, s.want)
		}
	}
	req, err := http.NewRequest(http.MethodGet, base+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	metrics := get(t, req)
	for _, want := range []string{
		`eventodb_group_lag{group="billing",member="0",namespace="shop"} 2`,
		`eventodb_group_checkpoint{group="billing",member="0",namespace="shop"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Fatalf("/metrics lacks %s", want)
		}
	}
	if status, body, _ := call(t, base, admin, `["ns.delete","shop"]`); status != 200 {
		t.Fatalf("ns.delete = %d %s", status, body)
	}
	status, body, _ = call(t, base, admin, `["ns.create","shop"]`)
	if status != 200 {
		t.Fatalf("ns.create again = %d %s", status, body)
	}
	token = strings.Split(strings.Split(body, `"token":"`)[1], `"`)[0]
	if status, body, _ := call(t, base, token, `["group.list"]`); status != 200 || body != `[]` {
		t.Fatalf("group.list of the re-created namespace = %d %s, want []", status, body)
	}
}

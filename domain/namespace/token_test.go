package namespace_test

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/namespace"
)

var tokenFormat = regexp.MustCompile(`^ns_[A-Za-z0-9_-]+_[0-9a-f]{64}$`)

func TestNewTokenRoundTrip(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"default", "a", "tenant-1", "Tenant_2", strings.Repeat("z", namespace.MaxIDLength)} {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			tok, err := namespace.NewToken(id)
			if err != nil {
				t.Fatalf("NewToken: %v", err)
			}
			if !tokenFormat.MatchString(tok) {
				t.Fatalf("token %q does not match %s", tok, tokenFormat)
			}
			wantPrefix := "ns_" + base64.RawURLEncoding.EncodeToString([]byte(id)) + "_"
			if !strings.HasPrefix(tok, wantPrefix) {
				t.Errorf("token %q does not start with %q", tok, wantPrefix)
			}
			got, err := namespace.ParseToken(tok)
			if err != nil || got != id {
				t.Fatalf("ParseToken(%q) = %q, %v, want %q", tok, got, err, id)
			}
			if err := namespace.ValidateToken(id, tok); err != nil {
				t.Errorf("ValidateToken(%q) = %v", id, err)
			}
			if err := namespace.ValidateToken(id+"x", tok); err == nil {
				t.Errorf("ValidateToken accepted the token of %q for %q", id, id+"x")
			}
		})
	}
}

func TestNewTokenIsRandom(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 50 {
		tok, err := namespace.NewToken("tenant")
		if err != nil {
			t.Fatal(err)
		}
		if seen[tok] {
			t.Fatalf("NewToken repeated %q", tok)
		}
		seen[tok] = true
	}
}

func TestParseTokenMalformed(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("0123456789abcdef", 4)
	enc := base64.RawURLEncoding.EncodeToString([]byte("tenant"))
	valid := "ns_" + enc + "_" + secret
	if id, err := namespace.ParseToken(valid); err != nil || id != "tenant" {
		t.Fatalf("ParseToken(%q) = %q, %v: the base case must be valid", valid, id, err)
	}
	tests := []struct {
		name  string
		token string
	}{
		{"empty", ""},
		{"missing prefix", enc + "_" + secret},
		{"other prefix", "tk_" + enc + "_" + secret},
		{"uppercase prefix", "NS_" + enc + "_" + secret},
		{"no separator", "ns_" + enc + secret},
		{"uppercase hex", "ns_" + enc + "_" + strings.ToUpper(secret)},
		{"non-hex secret", "ns_" + enc + "_" + strings.Repeat("g", 64)},
		{"short secret", "ns_" + enc + "_" + secret[:63]},
		{"long secret", "ns_" + enc + "_" + secret + "0"},
		{"empty secret", "ns_" + enc + "_"},
		{"bad base64", "ns_!!!!_" + secret},
		{"padded base64", "ns_" + base64.URLEncoding.EncodeToString([]byte("tenant1")) + "_" + secret},
		{"standard base64 alphabet", "ns_" + base64.RawStdEncoding.EncodeToString([]byte{0xfb, 0xff}) + "_" + secret},
		{"empty namespace", "ns__" + secret},
		{"namespace id invalid", "ns_" + base64.RawURLEncoding.EncodeToString([]byte("bad id")) + "_" + secret},
		{"namespace id too long", "ns_" + base64.RawURLEncoding.EncodeToString([]byte(strings.Repeat("x", namespace.MaxIDLength+1))) + "_" + secret},
		{"trailing space", valid + " "},
		{"bearer prefix left in", "Bearer " + valid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			id, err := namespace.ParseToken(tt.token)
			if !errors.Is(err, namespace.ErrMalformedToken) {
				t.Fatalf("ParseToken(%q) = %q, %v, want ErrMalformedToken", tt.token, id, err)
			}
			if err := namespace.ValidateToken("tenant", tt.token); err == nil {
				t.Errorf("ValidateToken accepted %q", tt.token)
			}
		})
	}
}

func TestHashToken(t *testing.T) {
	t.Parallel()
	tok, err := namespace.NewToken("tenant")
	if err != nil {
		t.Fatal(err)
	}
	h := namespace.HashToken(tok)
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(h) {
		t.Errorf("HashToken = %q, want 64 lowercase hex digits", h)
	}
	if strings.Contains(h, tok) || strings.Contains(tok, h) {
		t.Error("the hash contains the token")
	}
	if namespace.HashToken(tok) != h {
		t.Error("HashToken is not deterministic")
	}
	// sha256("abc"), a published test vector.
	if got := namespace.HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", got)
	}

	other, err := namespace.NewToken("tenant")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token string
		hash  string
		want  bool
	}{
		{"own hash", tok, h, true},
		{"other token", other, h, false},
		{"empty token", "", h, false},
		{"empty hash", tok, "", false},
		{"uppercase hash", tok, strings.ToUpper(h), false},
		{"truncated hash", tok, h[:63], false},
		{"token instead of hash", tok, tok, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := namespace.TokenMatches(tt.token, tt.hash); got != tt.want {
				t.Errorf("TokenMatches = %v, want %v", got, tt.want)
			}
		})
	}
}

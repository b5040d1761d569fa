package transfer_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/cli/transfer"
)

func TestCompressDecompressRoundTrip(t *testing.T) {
	t.Parallel()
	const text = "{\"a\":1}\n{\"b\":2}\n"
	var buf bytes.Buffer
	w := transfer.Compress(&buf)
	if _, err := io.WriteString(w, text); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte{0x1f, 0x8b}) {
		t.Fatalf("Compress wrote %x..., not gzip", buf.Bytes()[:4])
	}
	for _, require := range []bool{false, true} {
		r, err := transfer.Decompress(bytes.NewReader(buf.Bytes()), require)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != text {
			t.Fatalf("Decompress(require %v) = %q, %v; want the text", require, got, err)
		}
	}
}

func TestDecompressPlainAndConcatenated(t *testing.T) {
	t.Parallel()
	r, err := transfer.Decompress(strings.NewReader("{\"plain\":true}\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); string(got) != "{\"plain\":true}\n" {
		t.Fatalf("plain input came back as %q", got)
	}
	if _, err := transfer.Decompress(strings.NewReader("{}\n"), true); err == nil || !strings.Contains(err.Error(), "not gzip") {
		t.Fatalf("plain input with --gzip: %v, want an error saying it is not gzip", err)
	}
	if r, err := transfer.Decompress(strings.NewReader(""), false); err != nil {
		t.Fatalf("empty input: %v", err)
	} else if got, _ := io.ReadAll(r); len(got) != 0 {
		t.Fatalf("empty input came back as %q", got)
	}
	var two bytes.Buffer
	for _, part := range []string{"one\n", "two\n"} {
		zw := gzip.NewWriter(&two)
		_, _ = zw.Write([]byte(part))
		_ = zw.Close()
	}
	r, err = transfer.Decompress(&two, true)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); string(got) != "one\ntwo\n" {
		t.Fatalf("concatenated gzip = %q, want both parts", got)
	}
}

func TestConfirmClear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		answer      string
		interactive bool
		yes         bool
		wantErr     string // "" = confirmed
		wantAsked   bool
	}{
		{"--yes confirms without asking", "", false, true, "", false},
		{"--yes on a terminal does not ask either", "", true, true, "", false},
		{"no terminal, no --yes: refused", "y\n", false, false, "confirm with --yes", false},
		{"y confirms", "y\n", true, false, "", true},
		{"YES confirms", " YES \n", true, false, "", true},
		{"n refuses", "n\n", true, false, "not confirmed", true},
		{"enter refuses", "\n", true, false, "not confirmed", true},
		{"end of input refuses", "", true, false, "not confirmed", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			err := transfer.ConfirmClear(strings.NewReader(tt.answer), &out, tt.interactive, tt.yes, "shop")
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ConfirmClear = %v, want confirmed", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("ConfirmClear = %v, want an error containing %q", err, tt.wantErr)
			}
			if asked := strings.Contains(out.String(), `namespace "shop"`); asked != tt.wantAsked {
				t.Fatalf("asked = %v (%q), want %v", asked, out.String(), tt.wantAsked)
			}
		})
	}
}

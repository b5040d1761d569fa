package stream_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestValidateName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   string
		wantErr bool
	}{
		{"spec example plain", "account-123", false},
		{"spec example compound id", "account-123+retry", false},
		{"spec example colon category", "account:command-9", false},
		{"spec example underscore and dot", "test-stream_123.abc", false},
		{"category only", "account", false},
		{"unicode", "konto-日本語", false},
		{"emoji", "🙂-1", false},
		{"space is not a control character", "my stream-1", false},
		{"255 bytes", strings.Repeat("a", 255), false},
		{"255 bytes of multibyte runes", strings.Repeat("é", 127) + "a", false},
		{"empty", "", true},
		{"256 bytes", strings.Repeat("a", 256), true},
		{"256 bytes of multibyte runes", strings.Repeat("é", 128), true},
		{"invalid UTF-8", "account-\xff", true},
		{"truncated UTF-8 sequence", "account-\xc3", true},
		{"NUL", "account-\x001", true},
		{"newline", "account-1\n", true},
		{"tab", "account\t-1", true},
		{"DEL", "account-\x7f", true},
		{"C1 control", "account-\u0085", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := stream.ValidateName("streamName", tt.input)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateName(%q) = %v, want error %v", tt.input, err, tt.wantErr)
			}
			if err == nil {
				return
			}
			var ve *stream.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %T is not a *stream.ValidationError", err)
			}
			if ve.Field != "streamName" {
				t.Errorf("Field = %q, want streamName", ve.Field)
			}
			if !strings.HasPrefix(err.Error(), "streamName ") {
				t.Errorf("Error() = %q, want it to name the field", err.Error())
			}
		})
	}
}

func TestNameParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		category   string
		id         string
		cardinalID string
		isCategory bool
	}{
		{"account-123", "account", "123", "123", false},
		{"account-123+retry", "account", "123+retry", "123", false},
		{"account-123+retry+again", "account", "123+retry+again", "123", false},
		{"account:command-9", "account:command", "9", "9", false},
		{"test-stream_123.abc", "test", "stream_123.abc", "stream_123.abc", false},
		{"account-a-b", "account", "a-b", "a-b", false},
		{"account-+x", "account", "+x", "", false},
		{"account-", "account", "", "", false},
		{"account", "account", "", "", true},
		{"account+x", "account+x", "", "", true},
		{"-1", "", "1", "1", false},
		{"", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stream.Category(tt.name); got != tt.category {
				t.Errorf("Category(%q) = %q, want %q", tt.name, got, tt.category)
			}
			if got := stream.ID(tt.name); got != tt.id {
				t.Errorf("ID(%q) = %q, want %q", tt.name, got, tt.id)
			}
			if got := stream.CardinalID(tt.name); got != tt.cardinalID {
				t.Errorf("CardinalID(%q) = %q, want %q", tt.name, got, tt.cardinalID)
			}
			if got := stream.IsCategory(tt.name); got != tt.isCategory {
				t.Errorf("IsCategory(%q) = %v, want %v", tt.name, got, tt.isCategory)
			}
		})
	}
}

package service_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

func msg(id, typ, data string) stream.Proposed {
	return stream.Proposed{ID: id, Type: typ, Data: []byte(data)}
}

func TestStreamsWriteAssignsAndNormalizesIDs(t *testing.T) {
	t.Parallel()
	store := &fakeStore{appendResult: stream.Appended{Position: 0, GlobalPosition: 7, Count: 3}}
	notifier := &fakeNotifier{}
	svc := service.NewStreams(store, &fakeIDs{}, notifier, service.DefaultLimits())

	a := stream.Append{
		Stream: "account-1",
		Messages: []stream.Proposed{
			msg("", "Opened", `{}`),
			msg("AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE", "Deposited", `{"amount":1}`),
			{Type: "Closed", Data: []byte(`{}`), Metadata: []byte(`null`)},
		},
		ExpectedVersion: stream.ExactVersion(stream.NoStream),
	}
	res, err := svc.Write(context.Background(), "tenant", a)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	if res != store.appendResult {
		t.Errorf("Write = %+v, want the store's %+v", res, store.appendResult)
	}
	calls := store.appendCalls()
	if len(calls) != 1 {
		t.Fatalf("store.Append called %d times, want 1", len(calls))
	}
	got := calls[0]
	wantIDs := []string{
		"00000000-0000-4000-8000-000000000001",
		"aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
		"00000000-0000-4000-8000-000000000002",
	}
	for i, m := range got.Messages {
		if m.ID != wantIDs[i] {
			t.Errorf("message %d id = %q, want %q", i, m.ID, wantIDs[i])
		}
	}
	if got.Messages[2].Metadata != nil {
		t.Errorf("null metadata reached the store as %q, want nil", got.Messages[2].Metadata)
	}
	if got.Stream != "account-1" || got.ExpectedVersion != stream.ExactVersion(stream.NoStream) {
		t.Errorf("store got stream %q expected version %+v", got.Stream, got.ExpectedVersion)
	}
	// Last message of the write: 7 + 3 - 1.
	if calls := notifier.calls(); len(calls) != 1 || calls[0] != "tenant@9" {
		t.Errorf("notifier got %v, want [tenant@9]", calls)
	}
}

func TestStreamsWriteRejects(t *testing.T) {
	t.Parallel()
	const dup = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
	limits := service.Limits{MaxMessageBytes: 64, MaxBatchSize: 10000, MaxWriteBatch: 3}
	tests := []struct {
		name     string
		a        stream.Append
		field    string // ValidationError field, or "" for tooLarge
		tooLarge bool
	}{
		{"empty stream name", stream.Append{Stream: "", Messages: []stream.Proposed{msg("", "T", `{}`)}}, "streamName", false},
		{"control character in name", stream.Append{Stream: "a-\n", Messages: []stream.Proposed{msg("", "T", `{}`)}}, "streamName", false},
		{"256-byte name", stream.Append{Stream: strings.Repeat("a", 256), Messages: []stream.Proposed{msg("", "T", `{}`)}}, "streamName", false},
		{"no messages", stream.Append{Stream: "a-1"}, "messages", false},
		{"too many messages", stream.Append{Stream: "a-1", Messages: []stream.Proposed{
			msg("", "T", `{}`), msg("", "T", `{}`), msg("", "T", `{}`), msg("", "T", `{}`),
		}}, "messages", false},
		{"bad expected version", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("", "T", `{}`)}, ExpectedVersion: stream.ExactVersion(-2)}, "expectedVersion", false},
		{"single message without type", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("", "", `{}`)}}, "message.type", false},
		{"second message data is an array", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("", "T", `{}`), msg("", "T", `[]`)}}, "messages[1].data", false},
		{"malformed id", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("not-a-uuid", "T", `{}`)}}, "message.id", false},
		{"duplicate id within one write", stream.Append{Stream: "a-1", Messages: []stream.Proposed{
			msg(dup, "T", `{}`), msg("", "T", `{}`), msg(dup, "U", `{}`),
		}}, "messages[2].id", false},
		{"duplicate id after normalization", stream.Append{Stream: "a-1", Messages: []stream.Proposed{
			msg(dup, "T", `{}`), msg(strings.ToUpper(dup), "T", `{}`),
		}}, "messages[1].id", false},
		{"message too large", stream.Append{Stream: "a-1", Messages: []stream.Proposed{
			msg("", "T", `{"k":"`+strings.Repeat("x", 64)+`"}`),
		}}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &fakeStore{}
			notifier := &fakeNotifier{}
			svc := service.NewStreams(store, &fakeIDs{}, notifier, limits)
			_, err := svc.Write(context.Background(), "tenant", tt.a)
			if tt.tooLarge {
				var tl *stream.TooLargeError
				if !errors.As(err, &tl) {
					t.Fatalf("Write = %v (%T), want *TooLargeError", err, err)
				}
			} else {
				var ve *stream.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("Write = %v (%T), want *ValidationError", err, err)
				}
				if ve.Field != tt.field {
					t.Errorf("Field = %q (%v), want %q", ve.Field, err, tt.field)
				}
			}
			if n := len(store.appendCalls()); n != 0 {
				t.Errorf("store.Append called %d times for a rejected write", n)
			}
			if calls := notifier.calls(); len(calls) != 0 {
				t.Errorf("notifier called %v for a rejected write", calls)
			}
		})
	}
}

func TestStreamsWriteStoreFailure(t *testing.T) {
	t.Parallel()
	conflict := &stream.VersionConflictError{Stream: "a-1", Expected: 3, Actual: 5}
	store := &fakeStore{appendErr: conflict}
	notifier := &fakeNotifier{}
	svc := service.NewStreams(store, &fakeIDs{}, notifier, service.DefaultLimits())
	_, err := svc.Write(context.Background(), "tenant", stream.Append{
		Stream:          "a-1",
		Messages:        []stream.Proposed{msg("", "T", `{}`)},
		ExpectedVersion: stream.ExactVersion(3),
	})
	var vc *stream.VersionConflictError
	if !errors.As(err, &vc) || vc.Expected != 3 || vc.Actual != 5 {
		t.Fatalf("Write = %v, want the store's version conflict", err)
	}
	if calls := notifier.calls(); len(calls) != 0 {
		t.Errorf("notifier called %v after a failed append", calls)
	}
}

func TestStreamsWriteNotifierFailureDoesNotFailTheWrite(t *testing.T) {
	t.Parallel()
	store := &fakeStore{appendResult: stream.Appended{Position: 4, GlobalPosition: 10, Count: 1}}
	notifier := &fakeNotifier{err: errors.New("bus down")}
	svc := service.NewStreams(store, &fakeIDs{}, notifier, service.DefaultLimits())
	res, err := svc.Write(context.Background(), "tenant", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("", "T", `{}`)}})
	if err != nil || res.Position != 4 {
		t.Fatalf("Write = %+v, %v; a durable write must succeed when the notification fails", res, err)
	}
	if calls := notifier.calls(); len(calls) != 1 || calls[0] != "tenant@10" {
		t.Errorf("notifier got %v, want [tenant@10]", calls)
	}
}

func TestStreamsWriteWithoutNotifier(t *testing.T) {
	t.Parallel()
	store := &fakeStore{appendResult: stream.Appended{GlobalPosition: 1, Count: 1}}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	if _, err := svc.Write(context.Background(), "tenant", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("", "T", `{}`)}}); err != nil {
		t.Fatalf("Write with nil notifier: %v", err)
	}
}

// An embedding program may keep its messages and write them again, or from
// several goroutines at once: Write fills ids and normalizes a copy, never
// the caller's slice (which would give a second write the first one's ids,
// and race under -race).
func TestStreamsWriteLeavesTheCallersMessagesAlone(t *testing.T) {
	t.Parallel()
	store := &fakeStore{appendResult: stream.Appended{GlobalPosition: 1, Count: 2}}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	msgs := []stream.Proposed{
		msg("", "Opened", `{}`),
		{Type: "Closed", Data: []byte(`{}`), Metadata: []byte(`null`)},
	}
	a := stream.Append{Stream: "account-1", Messages: msgs}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := svc.Write(context.Background(), "tenant", a); err != nil {
				t.Errorf("Write: %v", err)
			}
		})
	}
	wg.Wait()
	for i, m := range msgs {
		if m.ID != "" || m.GeneratedID {
			t.Errorf("caller's message %d got id %q (generated %v), want it untouched", i, m.ID, m.GeneratedID)
		}
	}
	if string(msgs[1].Metadata) != "null" {
		t.Errorf("caller's metadata became %q, want null as given", msgs[1].Metadata)
	}
	seen := map[string]bool{}
	for _, call := range store.appendCalls() {
		for _, m := range call.Messages {
			if seen[m.ID] {
				t.Errorf("id %s reached the store twice: a write reused another's generated id", m.ID)
			}
			seen[m.ID] = true
		}
	}
	if len(seen) != 8 {
		t.Errorf("store got %d distinct ids, want 8", len(seen))
	}
}

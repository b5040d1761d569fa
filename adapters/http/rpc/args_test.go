package rpc_test

import (
	"strings"
	"testing"
)

func TestArgumentErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	name255 := strings.Repeat("a", 255)
	name256 := strings.Repeat("a", 256)
	data := map[string]any{"x": 1}
	tests := []struct {
		name   string
		body   string
		msg    string // the message must contain it (it names the argument)
		status int    // 0: 400
		code   string // "": INVALID_REQUEST
	}{
		// argument counts
		{name: "write without message", body: `["stream.write","s"]`, msg: "stream.write takes 2 or 3 argument(s), got 1"},
		{name: "write with 4 args", body: `["stream.write","s",{"type":"T","data":{}},{},{}]`, msg: "got 4"},
		{name: "get without stream", body: `["stream.get"]`, msg: "stream.get takes 1 or 2"},
		{name: "version with options", body: `["stream.version","s",{}]`, msg: "stream.version takes 1 argument(s), got 2"},
		{name: "ns.categories with args", body: `["ns.categories",{}]`, msg: "takes 0"},
		{name: "sys.version with args", body: `["sys.version",1]`, msg: "takes 0"},
		// stream names
		{name: "stream name a number", body: `["stream.get",5]`, msg: "streamName must be a string"},
		{name: "stream name null", body: `["stream.version",null]`, msg: "streamName must be a string"},
		{name: "empty stream name", body: `["stream.get",""]`, msg: "streamName must not be empty"},
		{name: "256-byte stream name", body: `["stream.write","` + name256 + `",{"type":"T","data":{}}]`, msg: "streamName is 256 bytes"},
		{name: "256-byte stream name on read", body: `["stream.version","` + name256 + `"]`, msg: "streamName is 256 bytes"},
		{name: "control character in name", body: `["stream.get","a\u0001b"]`, msg: "streamName must not contain control characters"},
		{name: "empty category", body: `["category.get",""]`, msg: "categoryName must not be empty"},
		// messages
		{name: "missing type", body: `["stream.write","s",{"data":{}}]`, msg: "message.type is required"},
		{name: "empty type", body: `["stream.write","s",{"type":"","data":{}}]`, msg: "message.type is required"},
		{name: "type a number", body: `["stream.write","s",{"type":5,"data":{}}]`, msg: "message.type must be a string"},
		{name: "missing data", body: `["stream.write","s",{"type":"T"}]`, msg: "message.data must be a JSON object"},
		{name: "data an array", body: `["stream.write","s",{"type":"T","data":[1]}]`, msg: "message.data must be a JSON object"},
		{name: "data a string", body: `["stream.write","s",{"type":"T","data":"x"}]`, msg: "message.data must be a JSON object"},
		{name: "data null", body: `["stream.write","s",{"type":"T","data":null}]`, msg: "message.data must be a JSON object"},
		{name: "metadata a number", body: `["stream.write","s",{"type":"T","data":{},"metadata":3}]`, msg: "message.metadata must be a JSON object or null"},
		{name: "message a string", body: `["stream.write","s","hello"]`, msg: "message must be an object"},
		{name: "message null", body: `["stream.write","s",null]`, msg: "message must be an object"},
		{name: "empty message array", body: `["stream.write","s",[]]`, msg: "messages must contain at least one message"},
		{name: "array element not an object", body: `["stream.write","s",[{"type":"T","data":{}},7]]`, msg: "messages[1] must be an object"},
		{name: "array element null", body: `["stream.write","s",[null]]`, msg: "messages[0] must be an object"},
		{name: "array element missing type", body: `["stream.write","s",[{"type":"T","data":{}},{"data":{}}]]`, msg: "messages[1].type is required"},
		{name: "malformed UUID in options", body: `["stream.write","s",{"type":"T","data":{}},{"id":"not-a-uuid"}]`, msg: "message.id must be a UUID"},
		{name: "id a number", body: `["stream.write","s",{"type":"T","data":{}},{"id":5}]`, msg: "id must be a string"},
		{name: "NUL in a type", body: `["stream.write","s",{"type":"T\u0000","data":{}}]`, msg: "message.type must be a string without NUL characters"},
		{name: "NUL in a correlation", body: `["category.get","s",{"correlation":"w\u0000"}]`, msg: "correlation must be a string without NUL characters"},
		{name: "NUL in a prefix", body: `["ns.streams",{"prefix":"\u0000"}]`, msg: "prefix must be a string without NUL characters"},
		{name: "empty id in options", body: `["stream.write","s",{"type":"T","data":{}},{"id":""}]`, msg: "id must be a UUID, not an empty string"},
		{name: "empty id in a message", body: `["stream.write","s",[{"type":"T","data":{},"id":""}]]`, msg: "messages[0].id must be a UUID, not an empty string"},
		{name: "malformed UUID in array", body: `["stream.write","s",[{"type":"T","data":{}},{"type":"T","data":{},"id":"zzz"}]]`, msg: "messages[1].id must be a UUID"},
		{name: "options.id with an array", body: `["stream.write","s",[{"type":"T","data":{}}],{"id":"7d6d6c1e-6d4c-4a52-9d0e-9e3c9a1f1b11"}]`, msg: "id applies to a single message"},
		{name: "expectedVersion a string", body: `["stream.write","s",{"type":"T","data":{}},{"expectedVersion":"1"}]`, msg: "expectedVersion must be an integer"},
		{name: "expectedVersion fractional", body: `["stream.write","s",{"type":"T","data":{}},{"expectedVersion":1.5}]`, msg: "expectedVersion must be an integer"},
		{name: "expectedVersion below -1", body: `["stream.write","s",{"type":"T","data":{}},{"expectedVersion":-2}]`, msg: "expectedVersion must be -1"},
		{name: "write options not an object", body: `["stream.write","s",{"type":"T","data":{}},[1]]`, msg: "options must be an object"},
		// read options
		{name: "batchSize -2", body: `["stream.get","s",{"batchSize":-2}]`, msg: "batchSize must be -1 (unlimited), 0 or a positive size, got -2"},
		{name: "category batchSize -5", body: `["category.get","c",{"batchSize":-5}]`, msg: "got -5"},
		{name: "batchSize 10001", body: `["stream.get","s",{"batchSize":10001}]`, msg: "batchSize 10001 is above the maximum of 10000"},
		{name: "batchSize 1.5", body: `["stream.get","s",{"batchSize":1.5}]`, msg: "batchSize must be an integer"},
		{name: "batchSize 1e3", body: `["stream.get","s",{"batchSize":1e3}]`, msg: "batchSize must be an integer"},
		{name: "batchSize a string", body: `["category.get","c",{"batchSize":"10"}]`, msg: "batchSize must be an integer"},
		{name: "position a string", body: `["stream.get","s",{"position":"3"}]`, msg: "position must be an integer"},
		{name: "globalPosition a bool", body: `["stream.get","s",{"globalPosition":true}]`, msg: "globalPosition must be an integer"},
		{name: "get options a string", body: `["stream.get","s","opts"]`, msg: "options must be an object"},
		{name: "last type a number", body: `["stream.last","s",{"type":5}]`, msg: "type must be a string"},
		{name: "correlation a number", body: `["category.get","c",{"correlation":5}]`, msg: "correlation must be a string"},
		{name: "consumerGroup not an object", body: `["category.get","c",{"consumerGroup":3}]`, msg: "consumerGroup must be an object"},
		{name: "member >= size", body: `["category.get","c",{"consumerGroup":{"member":2,"size":2}}]`, msg: "consumerGroup.member must be below size 2"},
		{name: "negative member", body: `["category.get","c",{"consumerGroup":{"member":-1,"size":2}}]`, msg: "consumerGroup.member must not be negative"},
		{name: "size 0", body: `["category.get","c",{"consumerGroup":{"member":0,"size":0}}]`, msg: "consumerGroup.size must be at least 1"},
		{name: "member missing", body: `["category.get","c",{"consumerGroup":{"size":2}}]`, msg: "consumerGroup.member is required"},
		{name: "size missing", body: `["category.get","c",{"consumerGroup":{"member":0}}]`, msg: "consumerGroup.size is required"},
		{name: "member a string", body: `["category.get","c",{"consumerGroup":{"member":"0","size":2}}]`, msg: "consumerGroup.member must be an integer"},
		// namespaces (as the tenant)
		{name: "ns.streams limit 0", body: `["ns.streams",{"limit":0}]`, msg: "limit must be between 1 and 1000"},
		{name: "ns.streams limit 1001", body: `["ns.streams",{"limit":1001}]`, msg: "limit must be between 1 and 1000"},
		{name: "ns.streams prefix a number", body: `["ns.streams",{"prefix":1}]`, msg: "prefix must be a string"},
		{name: "ns.info id a number", body: `["ns.info",7]`, msg: "namespaceId must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, code := tt.status, tt.code
			if status == 0 {
				status, code = 400, "INVALID_REQUEST"
			}
			wantError(t, e.post(t, e.tenant, tt.body), status, code, tt.msg)
		})
	}
	t.Run("255-byte stream name is fine", func(t *testing.T) {
		t.Parallel()
		e.ok(t, e.tenant, "stream.write", name255, msg("T", data))
	})
}

func TestAdminArgumentErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	tests := []struct{ name, body, msg string }{
		{"ns.create id a number", `["ns.create",5]`, "namespaceId must be a string"},
		{"ns.create empty id", `["ns.create",""]`, "namespaceId must not be empty"},
		{"ns.create bad id", `["ns.create","a b"]`, "namespaceId may contain only"},
		{"ns.create description a number", `["ns.create","x",{"description":1}]`, "description must be a string"},
		{"ns.create foreign token", `["ns.create","x",{"token":"ns_eQ_` + strings.Repeat("0", 64) + `"}]`, "token must be a token"},
		{"ns.create without id", `["ns.create"]`, "takes 1 or 2"},
		{"ns.delete default", `["ns.delete","default"]`, "cannot be deleted"},
		{"ns.list with args", `["ns.list",{}]`, "takes 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantError(t, e.post(t, e.admin, tt.body), 400, "INVALID_REQUEST", tt.msg)
		})
	}
}

func TestTolerantOptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.ok(t, e.tenant, "stream.write", "acct-1", msg("T", map[string]any{}))
	bodies := []string{
		`["stream.get","acct-1"]`,
		`["stream.get","acct-1",null]`,
		`["stream.get","acct-1",{}]`,
		`["stream.get","acct-1",{"someFutureOption":{"x":[1]},"batchSize":null}]`,
		`["category.get","acct",{"consumerGroup":null,"correlation":null}]`,
		`["stream.last","acct-1",null]`,
		`["stream.write","acct-1",{"type":"T","data":{},"metadata":null,"extra":1},null]`,
		`["stream.write","acct-1",{"type":"T","data":{}},{"expectedVersion":null,"future":true}]`,
		`["ns.streams"]`,
		`["ns.streams",null]`,
	}
	for _, body := range bodies {
		if r := e.post(t, e.tenant, body); r.status != 200 {
			t.Errorf("%s: %d %s", body, r.status, r.body)
		}
	}
}

func TestMessageTooLarge(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{limits: &serviceLimits{MaxMessageBytes: 100, MaxBatchSize: 10000, MaxWriteBatch: 1000}})
	big := map[string]any{"x": strings.Repeat("a", 200)}
	wantError(t, e.call(t, e.tenant, "stream.write", "s", msg("T", big)), 413, "PAYLOAD_TOO_LARGE", "the limit is 100")
}

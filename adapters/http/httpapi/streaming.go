package httpapi

import (
	"net/http"
	"time"
)

// KeepStreaming lifts the server's read and write deadlines of the
// connection serving w, for a streaming response that lasts as long as its
// client wants (a subscription). Call it only once the request is
// authenticated. Errors mean the writer cannot change deadlines (e.g.
// httptest's recorder), where there are none to lift.
func KeepStreaming(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
}

// ExtendDeadlines moves the read and write deadlines of the connection
// serving w to idle from now: a streaming request that keeps moving lives
// on, one that stalls for idle is cut off.
func ExtendDeadlines(w http.ResponseWriter, idle time.Duration) {
	rc := http.NewResponseController(w)
	at := time.Now().Add(idle)
	_ = rc.SetWriteDeadline(at)
	_ = rc.SetReadDeadline(at)
}

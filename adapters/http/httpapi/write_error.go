package httpapi

import "net/http"

// WriteError answers a request with err in the error envelope and the status
// its code maps to (ToError), and records the code (and any internal cause)
// in the request's RequestInfo for logs and metrics.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := ToError(err)
	info := RequestInfoFrom(r.Context())
	info.SetErrorCode(e.Code)
	if e.cause != nil {
		info.SetCause(e.cause)
	}
	WriteErrorBody(w, e.Status, ErrorFields{Code: e.Code, Message: e.Message, Details: e.Details}, e.RetryAfter)
}

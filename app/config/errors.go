package config

// SourceError is a setting a source got wrong: an unknown key in a YAML file,
// or a value of the wrong type. Origin says where it came from, e.g.
// `config file ./eventodb.yaml, key "port"` or `environment variable EVENTODB_PORT`.
type SourceError struct {
	Origin string
	Reason string
}

func (e *SourceError) Error() string { return e.Origin + ": " + e.Reason }

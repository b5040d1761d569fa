package observability

import (
	"math"

	"go.uber.org/zap/buffer"
	"go.uber.org/zap/zapcore"
)

// durationLast moves a float "duration" field to the very end of a console
// line, after the fields object, as "duration <ms>". The performance guide's
// log recipes rely on it: `grep duration eventodb.log | awk '$NF > 100'`
// finds requests slower than 100 ms.
type durationLast struct {
	zapcore.Encoder
}

func (e durationLast) Clone() zapcore.Encoder { return durationLast{e.Encoder.Clone()} }

func (e durationLast) EncodeEntry(ent zapcore.Entry, fields []zapcore.Field) (*buffer.Buffer, error) {
	at := -1
	for i, f := range fields {
		if f.Key == "duration" && f.Type == zapcore.Float64Type {
			at = i
		}
	}
	if at < 0 {
		return e.Encoder.EncodeEntry(ent, fields)
	}
	duration := math.Float64frombits(uint64(fields[at].Integer))
	rest := make([]zapcore.Field, 0, len(fields)-1)
	rest = append(append(rest, fields[:at]...), fields[at+1:]...)
	buf, err := e.Encoder.EncodeEntry(ent, rest)
	if err != nil {
		return nil, err
	}
	buf.TrimNewline()
	buf.AppendString("\tduration ")
	buf.AppendFloat(duration, 64)
	buf.AppendByte('\n')
	return buf, nil
}

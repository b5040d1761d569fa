package observability

import (
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// FxLogger adapts logger for fx.WithLogger. fx's events, its errors included,
// are logged at debug level: the application returns those errors, and the
// command prints their root cause once instead of the whole dependency chain.
//
//	fx.WithLogger(observability.FxLogger)
func FxLogger(logger *zap.Logger) fxevent.Logger {
	l := &fxevent.ZapLogger{Logger: logger.Named("fx")}
	l.UseLogLevel(zapcore.DebugLevel)
	l.UseErrorLevel(zapcore.DebugLevel)
	return l
}

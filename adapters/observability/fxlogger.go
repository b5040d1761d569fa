package observability

import (
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// FxLogger adapts logger for fx.WithLogger. fx's routine events (provided,
// invoked, hook ran) are logged at debug level; its errors stay errors.
//
//	fx.WithLogger(observability.FxLogger)
func FxLogger(logger *zap.Logger) fxevent.Logger {
	l := &fxevent.ZapLogger{Logger: logger.Named("fx")}
	l.UseLogLevel(zapcore.DebugLevel)
	return l
}

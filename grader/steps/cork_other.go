//go:build !linux

package steps

// cork does nothing where TCP_CORK does not exist.
func (s *Session) cork() {}

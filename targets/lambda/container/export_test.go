package container

// WithOwner sets the owner label of the provider's containers, for tests
// that need containers of another (dead) process.
func WithOwner(label string) Option {
	return func(p *Provider) { p.owner = label }
}

// OwnerLabel is the owner label of the provider's containers.
func (p *Provider) OwnerLabel() string { return p.owner }

// WithCommand sets the RIE's arguments, for tests of containers that fail.
func WithCommand(args ...string) Option {
	return func(p *Provider) { p.cmd = args }
}

// Every test runs against loopback only: the network layer refuses any other destination while this is set.
process.env.LAUNCH_READY_LOOPBACK_ONLY = '1';
// Colour codes would make output assertions brittle; tests that check colour opt back in.
process.env.NO_COLOR = '1';
delete process.env.FORCE_COLOR;

// A function whose module throws while it loads, at INIT.
export const handler = async () => ({ ok: true });

throw new Error('no database configured');

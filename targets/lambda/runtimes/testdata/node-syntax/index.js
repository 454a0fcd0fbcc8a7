// A function with a syntax error, refused at INIT.
exports.handler = async (event) => {
  return { ok: true ;
};

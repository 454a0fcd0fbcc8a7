// An ES module in a subfolder, found by the package.json of its parent.
export const main = async (event) => ({ from: 'src/app.js', rawPath: event.rawPath });

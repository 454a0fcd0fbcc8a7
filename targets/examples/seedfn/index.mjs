export const handler = async (event) => {
  return { statusCode: 200, body: "Order created!" };
};

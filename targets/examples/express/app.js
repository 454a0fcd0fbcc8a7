// The traditional example of serverless-vs-traditional.md, as written
// there but for the port: coldbench chooses one and passes it as PORT.
import express from "express";
const app = express();
app.post("/order", (req, res) => res.send("Order created!"));
app.listen(process.env.PORT ?? 3000);

const dynamoose = require("dynamoose");

const Cat = dynamoose.model("Cat", { id: Number, name: String });

exports.handler = async (event) => {
  await Cat.create({ id: 1, name: event.name });
  return { statusCode: 201 };
};

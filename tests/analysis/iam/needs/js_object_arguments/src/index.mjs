import { S3Client, PutObjectCommand } from "@aws-sdk/client-s3";
import { RekognitionClient, DetectFacesCommand } from "@aws-sdk/client-rekognition";

const s3 = new S3Client({});
const rekognition = new RekognitionClient({});

export const handler = async (event) => {
  const key = event.key;
  await s3.send(new PutObjectCommand({ Bucket: process.env.AVATARS, Key: key, Body: event.body, ACL: "private" }));
  return rekognition.send(
    new DetectFacesCommand({ Image: { S3Object: { Bucket: process.env.AVATARS, Name: key } } })
  );
};

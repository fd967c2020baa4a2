-- AlterEnum
ALTER TYPE "Channel" ADD VALUE 'max';

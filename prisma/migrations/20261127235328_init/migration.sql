-- CreateTable
CREATE TABLE "submissions" (
    "id" BIGSERIAL NOT NULL,
    "index" INTEGER NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "submissions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "submissions_submitted_at_id_idx" ON "submissions"("submitted_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "submissions_index_submitted_at_idx" ON "submissions"("index", "submitted_at");

#!/bin/bash
# The OpenMind benchmark as a SLURM job array: every array task runs one disjoint shard of the jobs
# (`openmind benchmark run --shard i/n`) in one benchmark folder on a shared file system. No scheduler of
# ours: a task whose jobs wait on another task's (e.g. fine-tuning on pre-training) polls until they are
# done. Resubmitting the same array after a failure, a timeout or a preemption reuses every finished job
# and resumes the interrupted ones from their checkpoints.
#
#   sbatch --export=ALL,BENCH_DIR=/shared/bench slurm-benchmark-array.sh
#
#SBATCH --job-name=openmind-benchmark
#SBATCH --array=0-15
#SBATCH --gres=gpu:1
#SBATCH --cpus-per-task=16
#SBATCH --mem=64G
#SBATCH --time=72:00:00
#SBATCH --output=openmind-benchmark-%A_%a.log
set -euo pipefail

: "${BENCH_DIR:?export BENCH_DIR=<benchmark folder on the shared file system>}"
SPEC="${SPEC:-openmind}"                      # a preset name or a spec .json on the shared file system
# The 'openmind' preset reads these (pretrainData and the downstream datasets).
: "${OPENMIND_ROOT:?export OPENMIND_ROOT=<OpenMind root or preprocessed store>}"
: "${OPENMIND_DOWNSTREAM:?export OPENMIND_DOWNSTREAM=<folder of the nnU-Net raw downstream datasets>}"

exec openmind benchmark run "$SPEC" --out "$BENCH_DIR" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" --poll 60

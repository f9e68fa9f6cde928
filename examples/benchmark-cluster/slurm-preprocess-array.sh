#!/bin/bash
# Preprocessing of the pre-training data as a SLURM job array (nnssl's `-part k -total_parts n`): each task
# preprocesses one contiguous chunk of the images into the same --out; the task that finishes last writes
# the store's manifest. Run it before the benchmark and give the benchmark the store
# ("pretrainData": {"store": "<out>/nnsslPlans_onemmiso"}), so that no single job preprocesses 114k volumes.
#
#   sbatch --export=ALL,OPENMIND_ROOT=/data/OpenMind,PREPROCESSED=/shared/preprocessed slurm-preprocess-array.sh
#   # if a task failed and was rerun after the others finished:
#   openmind preprocess "$OPENMIND_ROOT" --out "$PREPROCESSED" --merge --parts 32
#
#SBATCH --job-name=openmind-preprocess
#SBATCH --array=0-31
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --time=12:00:00
#SBATCH --output=openmind-preprocess-%A_%a.log
set -euo pipefail

: "${OPENMIND_ROOT:?export OPENMIND_ROOT=<OpenMind root>}"
: "${PREPROCESSED:?export PREPROCESSED=<output folder on the shared file system>}"

exec openmind preprocess "$OPENMIND_ROOT" --out "$PREPROCESSED" --config onemmiso \
  --part "${SLURM_ARRAY_TASK_ID}" --parts "${SLURM_ARRAY_TASK_COUNT}" --workers "${SLURM_CPUS_PER_TASK:-8}"

import json, sys
OUT = "/work/main/tests/extract/heldout/"
# Each entry: title, abstract, [ (text, value, value_max, unit, kind, qualifier, metric) ]
D = []
def A(title, abstract, *claims):
    D.append((title, abstract, claims))

A("SparseRoute: Token-Adaptive Expert Pruning for Efficient Mixture-of-Experts Inference",
  "Mixture-of-Experts (MoE) language models scale capacity without a proportional increase in compute, but serving them remains memory-bound. We present SparseRoute, a token-adaptive pruning scheme that deactivates low-utility experts at inference time. On Mixtral-8x7B and a 16B in-house MoE, SparseRoute reduces expert memory traffic by 41% and end-to-end latency by up to 2.3\u00d7, with an accuracy drop below 0.4 points across 12 tasks. Throughput on a single A100 increases by 1.9\u00d7 on average. Code is released at our project page.",
  ("41%", 41, None, "percent", "reduction", None, "expert memory traffic"),
  ("up to 2.3\u00d7", 2.3, None, "x", "reduction", "up_to", "end-to-end latency"),
  ("below 0.4 points", 0.4, None, "points", "finding", "at_most", "accuracy drop"),
  ("1.9\u00d7 on average", 1.9, None, "x", "gain", "average", "throughput"))

A("Whisper-Lite: Distilling Speech Recognizers for On-Device Transcription",
  "Automatic speech recognition on mobile hardware is limited by model size. We distill a 1.5B-parameter teacher into a 74M-parameter student using a sequence-level objective and a curriculum over noisy audio. The student achieves a word error rate (WER) of 6.8% on LibriSpeech test-other, compared to 6.1% for the teacher, while being 20 times smaller and running 5.6x faster on a Pixel 7. On accented speech, our method lowers WER by 14% relative to the previous best distilled model. Training takes 36 hours on 8 GPUs.",
  ("6.8%", 6.8, None, "percent", "score", None, "word error rate on LibriSpeech test-other"),
  ("20 times", 20, None, "x", "reduction", None, "model size"),
  ("5.6x", 5.6, None, "x", "gain", None, "speed on a Pixel 7"),
  ("14%", 14, None, "percent", "reduction", None, "WER on accented speech"))

A("BenchSci: A Benchmark for Scientific Claim Verification Across Disciplines",
  "We introduce BenchSci, a benchmark of 12,400 expert-annotated scientific claims drawn from 3,100 papers in 18 disciplines published between 2015 and 2023. Each claim is paired with evidence sentences and a three-way verdict. We evaluate 14 open and proprietary models. The strongest system, GPT-4o, reaches only 61.2% macro-F1, while human experts achieve 89.5%. Models perform worst on claims involving numerical reasoning, where accuracy falls below 40%. We find that retrieval augmentation helps in 9 out of 14 models but degrades calibration.",
  ("61.2%", 61.2, None, "percent", "finding", None, "macro-F1 of GPT-4o"),
  ("89.5%", 89.5, None, "percent", "finding", None, "human expert macro-F1"),
  ("below 40%", 40, None, "percent", "finding", "at_most", "accuracy on numerical reasoning claims"))

A("On the Brittleness of Chain-of-Thought Under Paraphrase",
  "Chain-of-thought prompting is widely credited with improving reasoning in large language models. We study how robust these gains are to meaning-preserving paraphrases of the question. Across 6 models and 5 arithmetic and commonsense benchmarks, paraphrasing drops accuracy by 8.3 percentage points on average, and by up to 21 points for the smallest model. Nearly 30% of the correct answers flip under at least one paraphrase. Surprisingly, larger models are not consistently more robust: the 70B model is less stable than the 13B model on two of five benchmarks.",
  ("8.3 percentage points", 8.3, None, "points", "finding", "average", "accuracy drop under paraphrase"),
  ("up to 21 points", 21, None, "points", "finding", "up_to", "accuracy drop for the smallest model"),
  ("Nearly 30%", 30, None, "percent", "finding", "about", "correct answers that flip"))

A("FlashDecode-2: IO-Aware Speculative Decoding with Tree Verification",
  "Speculative decoding accelerates autoregressive generation by drafting several tokens and verifying them in parallel. We propose FlashDecode-2, which fuses tree verification into a single IO-aware kernel. On Llama-2-70B, FlashDecode-2 achieves a 3.1x speedup over standard decoding and 1.4x over the strongest speculative baseline, reaching 142 tokens/s with an acceptance rate of 0.82. Peak GPU memory is reduced by 18\\% and energy per token drops to 62\\% of the baseline. Outputs are provably identical to those of the target model.",
  ("3.1x", 3.1, None, "x", "gain", None, "speedup over standard decoding"),
  ("1.4x", 1.4, None, "x", "gain", None, "speedup over speculative baseline"),
  ("acceptance rate of 0.82", 0.82, None, "score", "score", None, "acceptance rate"),
  ("18\\%", 18, None, "percent", "reduction", None, "peak GPU memory"),
  ("62\\%", 62, None, "percent", "share", None, "energy per token"))

A("Multilingual Retrieval with Code-Switched Contrastive Pretraining",
  "Dense retrievers trained on English data transfer poorly to low-resource languages. We introduce CS-Contrast, which augments contrastive pretraining with synthetic code-switched queries generated for 42 languages. On MIRACL, CS-Contrast improves nDCG@10 by 4.7 points over mContriever and by 2.1 points over the previous state of the art, reaching an average nDCG@10 of 58.3. Gains are largest for African languages, with improvements of 9.2, 11.5, and 7.8 points on Swahili, Yoruba, and Somali. The approach adds less than 5% to pretraining cost.",
  ("4.7 points", 4.7, None, "points", "gain", None, "nDCG@10 over mContriever"),
  ("2.1 points", 2.1, None, "points", "gain", None, "nDCG@10 over state of the art"),
  ("58.3", 58.3, None, "score", "score", "average", "nDCG@10 on MIRACL"),
  ("9.2", 9.2, None, "points", "gain", None, "nDCG@10 on Swahili"),
  ("11.5", 11.5, None, "points", "gain", None, "nDCG@10 on Yoruba"),
  ("7.8 points", 7.8, None, "points", "gain", None, "nDCG@10 on Somali"),
  ("less than 5%", 5, None, "percent", "finding", "at_most", "pretraining cost overhead"))

A("Do Vision-Language Models Count? A Diagnostic Study",
  "We probe whether vision-language models can count objects in natural images. Using 4,000 images from COCO with between 1 and 20 instances per class, we evaluate 11 models released from 2022 to 2024. Accuracy decays sharply with object count: models answer correctly 93% of the time for two objects but only 17% of the time for ten or more. Fine-tuning on synthetic counting data raises accuracy on the hardest bucket threefold, yet errors remain systematically biased toward underestimation in 71% of failure cases.",
  ("93%", 93, None, "percent", "finding", None, "accuracy for two objects"),
  ("17%", 17, None, "percent", "finding", None, "accuracy for ten or more objects"),
  ("threefold", 3, None, "x", "gain", None, "accuracy on the hardest bucket"),
  ("71%", 71, None, "percent", "finding", None, "failure cases biased toward underestimation"))

A("QuantEdge: 3-Bit Weight Quantization Without Calibration Data",
  "Post-training quantization usually depends on a calibration set drawn from the pretraining distribution. QuantEdge removes this dependency by deriving per-channel scales from the weights alone. Quantizing LLaMA-3-8B to 3 bits, QuantEdge increases WikiText-2 perplexity by only 0.61, compared to 1.9 for GPTQ, and shrinks the model 5.1\u00d7 relative to FP16. Zero-shot accuracy is retained at 97.4% of the full-precision model. Quantization of a 70B model completes in under 20 minutes on one GPU.",
  ("0.61", 0.61, None, "points", "finding", None, "WikiText-2 perplexity increase"),
  ("5.1\u00d7", 5.1, None, "x", "reduction", None, "model size"),
  ("97.4%", 97.4, None, "percent", "score", None, "zero-shot accuracy retained"))

A("A Large-Scale Study of Label Noise in Crowdsourced NLI Datasets",
  "We re-annotate 9,000 examples from SNLI, MNLI and ANLI, collecting five expert labels per example. We estimate that 14.2% of the original labels in SNLI are incorrect, rising to 21% in ANLI. Removing the noisy examples changes the ranking of 6 of the 10 models we evaluate, and training on the cleaned data improves out-of-domain accuracy by 1.8% to 3.5% depending on the model.",
  ("14.2%", 14.2, None, "percent", "finding", None, "incorrect labels in SNLI"),
  ("21%", 21, None, "percent", "finding", None, "incorrect labels in ANLI"),
  ("1.8% to 3.5%", 1.8, 3.5, "percent", "gain", None, "out-of-domain accuracy"))

A("No Free Lunch in Prompt Compression: A Survey and Unified Protocol",
  "Prompt compression methods promise to cut the cost of long-context inference, but their evaluation protocols vary widely. We survey 23 compression methods published since 2021 and organize them into a taxonomy of token-level, sentence-level and latent approaches. We then propose a unified evaluation protocol with standardized budgets of 2x, 5x and 10x compression and release an open-source toolkit. We discuss open problems, including faithfulness and the interaction between compression and retrieval.")

A("Echo: Reducing Hallucination in Abstractive Summarization via Entailment-Guided Decoding",
  "Abstractive summarizers frequently produce content unsupported by the source. We propose Echo, a decoding strategy that reranks beam candidates with an entailment model. On XSum and CNN/DM, Echo reduces the rate of unsupported entities from 23.5% to 11.2% and improves FactCC by 6.4 points, at a ROUGE-L cost of less than 0.3 points. Human judges preferred Echo summaries in 64% of pairwise comparisons. Decoding is about 1.3 times slower than beam search.",
  ("11.2%", 11.2, None, "percent", "score", None, "rate of unsupported entities"),
  ("6.4 points", 6.4, None, "points", "gain", None, "FactCC"),
  ("less than 0.3 points", 0.3, None, "points", "finding", "at_most", "ROUGE-L cost"),
  ("64%", 64, None, "percent", "score", None, "human preference"),
  ("about 1.3 times", 1.3, None, "x", "finding", "about", "decoding slowdown"))

A("Scaling Laws for Data Filtering Are Compute-Dependent",
  "Data filtering is usually tuned once and applied at all scales. We train over 400 models between 150M and 7B parameters on filtered subsets of a 2T-token web corpus. We find that the optimal fraction of retained data grows with compute: aggressive filtering that keeps the top 10% of documents is best at small budgets but underperforms keeping 50% by 2.2 points at 10^22 FLOPs. A compute-aware filtering schedule matches the best fixed threshold at every scale and saves approximately 31 percent of compute to reach the same loss.",
  ("2.2 points", 2.2, None, "points", "finding", None, "underperformance of aggressive filtering"),
  ("approximately 31 percent", 31, None, "percent", "reduction", "about", "compute to reach the same loss"))

A("TinyTab: Compact Transformers for Tabular Classification",
  "We present TinyTab, a 2M-parameter transformer for tabular classification. Across 45 OpenML datasets, TinyTab matches gradient-boosted trees in accuracy while training 12x faster than the strongest transformer baseline and using 8 times fewer parameters. Its mean rank is 2.4 among 9 methods, and it wins on 27 of the 45 datasets. Inference on CPU takes 0.8 ms per row.",
  ("12x", 12, None, "x", "gain", None, "training speed"),
  ("8 times", 8, None, "x", "reduction", None, "parameters"),
  ("2.4", 2.4, None, "score", "score", None, "mean rank"))

A("Revisiting Layer Dropping for Faster BERT Fine-Tuning",
  "Layer dropping reduces the cost of fine-tuning but is reported to hurt accuracy. We revisit it with a progressive schedule and find that, on GLUE, dropping layers with probability up to 0.5 cuts fine-tuning time by 38% with an average score drop of only 0.2 points. On SQuAD v1.1 we obtain an F1 of 88.9 compared to 89.2 for full fine-tuning. Our schedule needs no additional hyperparameters.",
  ("38%", 38, None, "percent", "reduction", None, "fine-tuning time"),
  ("0.2 points", 0.2, None, "points", "finding", "average", "GLUE score drop"),
  ("F1 of 88.9", 88.9, None, "score", "score", None, "F1 on SQuAD v1.1"))

A("CodeRanker: Execution-Free Reranking of Code Generations",
  "Sampling many candidate programs and selecting one improves code generation, but execution-based selection requires test cases. CodeRanker learns to rank candidates from static features alone. Applied to samples from three code LLMs, it improves pass@1 on HumanEval from 48.2% to 57.9% and on MBPP by 6.1 percentage points, and outperforms the previous best ranker by 3.4%. Reranking 100 candidates takes 0.2 seconds.",
  ("57.9%", 57.9, None, "percent", "score", None, "pass@1 on HumanEval"),
  ("6.1 percentage points", 6.1, None, "points", "gain", None, "pass@1 on MBPP"),
  ("3.4%", 3.4, None, "percent", "gain", None, "over previous best ranker"))

A("CiteQA: A Dataset for Long-Form Question Answering with Citations",
  "We release CiteQA, a dataset of 18K long-form questions with answers grounded in 210K web documents, collected between March and June 2024. Answers average 182 words and cite 4.3 sources. We benchmark retrieval-augmented models and find that even the best system produces unsupported citations in 27\\% of sentences, and citation recall lags human writers by 19 points. We also find that 35-40% of questions require combining evidence from more than two documents.",
  ("27\\%", 27, None, "percent", "finding", None, "sentences with unsupported citations"),
  ("19 points", 19, None, "points", "finding", None, "citation recall gap to humans"),
  ("35-40%", 35, 40, "percent", "finding", None, "questions requiring multi-document evidence"))

A("Memory-Efficient Training with Low-Precision Optimizer States",
  "Optimizer states dominate memory during large-model training. We store Adam moments in 8-bit block-wise formats with stochastic rounding and show that this is stable up to 13B parameters. Compared with 32-bit states, our method reduces optimizer memory by 75% and total training memory by nearly 30%, which makes training twice as fast on the same hardware. Final validation loss differs by less than 0.01 from the baseline, and energy per step drops by 11.5%.",
  ("75%", 75, None, "percent", "reduction", None, "optimizer memory"),
  ("nearly 30%", 30, None, "percent", "reduction", "about", "total training memory"),
  ("twice", 2, None, "x", "gain", None, "training speed"),
  ("less than 0.01", 0.01, None, "points", "finding", "at_most", "validation loss difference"),
  ("11.5%", 11.5, None, "percent", "reduction", None, "energy per step"))

A("Calibrated Abstention for Medical Question Answering",
  "Medical QA systems must know when not to answer. We train a selective prediction head on top of a frozen 7B model using conformal risk control. At a target error rate of 5%, the system answers 68% of MedQA questions, compared to 41% for confidence thresholding, and its realized error rate is 4.6%. Expected calibration error falls from 0.142 to 0.038.",
  ("68%", 68, None, "percent", "score", None, "coverage of MedQA questions"),
  ("4.6%", 4.6, None, "percent", "score", None, "realized error rate"),
  ("0.038", 0.038, None, "score", "score", None, "expected calibration error"))

A("Poly-Tokenizer: Language-Balanced Subword Vocabularies",
  "Subword vocabularies trained on imbalanced corpora over-segment low-resource languages, inflating cost and hurting quality. We propose a language-balanced BPE objective. With a 250K vocabulary, our tokenizer shortens sequences by 22% on average across 100 languages and by up to 47% for Amharic, improving downstream translation by over 1.2 chrF. The fertility gap between English and the median language shrinks from 2.1x to 1.3x.",
  ("22%", 22, None, "percent", "reduction", "average", "sequence length"),
  ("up to 47%", 47, None, "percent", "reduction", "up_to", "sequence length for Amharic"),
  ("over 1.2 chrF", 1.2, None, "points", "gain", "more_than", "downstream translation chrF"),
  ("1.3x", 1.3, None, "x", "score", None, "fertility gap"))

A("What Do Attention Heads Track in Protein Language Models?",
  "We analyze attention in the ESM-2 family of protein language models, from 8M to 15B parameters. Probing reveals that 37% of heads in the final layers attend preferentially to residues in contact, and that contact-tracking heads emerge abruptly between the 150M and 650M models. Ablating the top 5 heads reduces contact prediction precision by 18 points, while ablating random heads has no measurable effect.",
  ("37%", 37, None, "percent", "finding", None, "heads attending to contacts"),
  ("18 points", 18, None, "points", "finding", None, "contact prediction precision after ablation"))

A("StreamMT: Simultaneous Translation with Adaptive Wait Policies",
  "Simultaneous machine translation trades quality against latency. StreamMT learns an adaptive read/write policy via imitation of an offline oracle. On WMT'22 En-De, StreamMT reaches 30.4 BLEU at a lagging of 3 tokens, 1.7 BLEU higher than wait-k at equal latency. At matched quality, it reduces lagging by at least 26%. On speech input, computation-aware latency is 1.2 seconds lower than the cascaded baseline.",
  ("30.4 BLEU", 30.4, None, "score", "score", None, "BLEU on WMT'22 En-De"),
  ("1.7 BLEU", 1.7, None, "points", "gain", None, "BLEU over wait-k"),
  ("at least 26%", 26, None, "percent", "reduction", "at_least", "lagging"))

A("Sparse Autoencoders Learn Duplicate Features",
  "Sparse autoencoders (SAEs) are increasingly used to decompose model activations into interpretable features. We show that a substantial fraction of learned features are duplicates: across SAEs with 16K to 1M latents trained on GPT-2 Small, between 12% and 19% of features have a near-identical counterpart. Merging duplicates reduces dictionary size by 15% with no increase in reconstruction error. Automated interpretability scores reach a Pearson correlation of 0.71 with human ratings from 3 annotators.",
  ("12% and 19%", 12, 19, "percent", "finding", None, "duplicate features"),
  ("15%", 15, None, "percent", "reduction", None, "dictionary size"),
  ("correlation of 0.71", 0.71, None, "score", "finding", None, "Pearson correlation with human ratings"))

A("GraphRAG-Lite: Cheap Knowledge Graph Construction for Retrieval",
  "Graph-based retrieval-augmented generation builds an entity graph over the corpus but is expensive to index. GraphRAG-Lite replaces LLM-based extraction with a distilled span tagger, cutting indexing cost by two orders of magnitude. On multi-hop QA benchmarks it retains 96% of the answer accuracy of full GraphRAG and outperforms naive RAG by 9.8% on average. Indexing 1M documents costs under $40.",
  ("96%", 96, None, "percent", "score", None, "answer accuracy relative to GraphRAG"),
  ("9.8%", 9.8, None, "percent", "gain", "average", "over naive RAG"))

A("Adaptive Computation for Vision Transformers via Early Exiting",
  "We add lightweight exit classifiers to every block of a ViT-B/16 and learn when to stop per image. On ImageNet-1k, our method reduces average FLOPs by 42% at 81.3% top-1 accuracy, a drop of <0.5%. With a stricter threshold, it requires only 48% of the baseline's FLOPs while matching its accuracy. Measured on a mobile CPU, latency decreases by 1.6x.",
  ("42%", 42, None, "percent", "reduction", "average", "FLOPs"),
  ("81.3%", 81.3, None, "percent", "score", None, "top-1 accuracy"),
  ("<0.5%", 0.5, None, "percent", "finding", "at_most", "accuracy drop"),
  ("48%", 48, None, "percent", "share", None, "FLOPs"),
  ("1.6x", 1.6, None, "x", "reduction", None, "latency on mobile CPU"))

A("Teaching Small Models to Reason with Self-Generated Curricula",
  "We show that a 1.3B model can bootstrap mathematical reasoning from its own solutions by ordering problems by estimated difficulty. On GSM8K, accuracy rises from 23.1% to 41.7%, surpassing a 7B model trained on human-written rationales (39.8%). On MATH and SVAMP, we observe relative improvements of +35%/+12%. The curriculum uses half the training examples of standard rejection-sampling fine-tuning.",
  ("41.7%", 41.7, None, "percent", "score", None, "GSM8K accuracy"),
  ("+35%", 35, None, "percent", "gain", None, "MATH"),
  ("+12%", 12, None, "percent", "gain", None, "SVAMP"),
  ("half", 0.5, None, "x", "share", None, "training examples"))

A("Measuring Verbatim Memorization in Code Language Models",
  "We quantify verbatim memorization in code language models trained on permissively licensed repositories. Using a prefix-extraction attack with 50-token prompts, we find that roughly 1 in 100 generated functions reproduces a training sample exactly, and that memorization rates increase 4-fold from the 350M to the 16B model. Deduplication of the training set lowers extraction rates by 63%. Licenses are preserved in fewer than 10% of memorized outputs.",
  ("4-fold", 4, None, "x", "finding", None, "memorization rate"),
  ("63%", 63, None, "percent", "reduction", None, "extraction rates"),
  ("fewer than 10%", 10, None, "percent", "finding", "at_most", "memorized outputs preserving licenses"))

A("Retrieval-Augmented Speech Recognition for Rare Entities",
  "End-to-end ASR struggles with rare named entities. We augment a conformer transducer with a retrieval module over a contextual entity list. On a benchmark of 1,200 hours of call-center audio, entity error rate drops by 31% relative and overall WER improves from 9.4% to 8.7%. The retrieval module adds fewer than 5M parameters and less than 10 ms of latency.",
  ("31%", 31, None, "percent", "reduction", None, "entity error rate"),
  ("8.7%", 8.7, None, "percent", "score", None, "overall WER"))

A("Contrastive Decoding Revisited: When Does the Amateur Help?",
  "Contrastive decoding improves open-ended generation by penalizing tokens favored by a smaller amateur model. We analyze 30 expert-amateur pairs and find that its benefit depends on the capability gap: gains in MAUVE peak when the amateur is roughly 10x smaller than the expert and vanish once the gap exceeds 100x. On reasoning tasks, contrastive decoding improves accuracy by 2-4 points but increases repetition by 12%.",
  ("2-4 points", 2, 4, "points", "gain", None, "accuracy on reasoning tasks"),
  ("12%", 12, None, "percent", "finding", None, "repetition"))

A("Pruning Instruction Data by Gradient Similarity",
  "Instruction tuning datasets contain substantial redundancy. We select training examples whose gradients best cover the full dataset's gradient distribution. Training on the selected 5% of Alpaca matches or exceeds full-data training on AlpacaEval and MT-Bench, with a win rate of 54.2% against the full-data model. Selection itself costs less than one epoch of training, and total compute falls by roughly 90%.",
  ("5%", 5, None, "percent", "share", None, "training data"),
  ("54.2%", 54.2, None, "percent", "score", None, "win rate against the full-data model"),
  ("roughly 90%", 90, None, "percent", "reduction", "about", "total compute"))

A("Hierarchical KV Caching for Multi-Turn LLM Serving",
  "Multi-turn conversations repeatedly prefill shared context. We design a hierarchical KV cache spanning GPU, CPU and SSD tiers with a recency-frequency eviction policy. On traces from a production chatbot with 1.6M conversations, our system improves cache hit rate from 61% to 89%, reduces time-to-first-token by 3.4\u00d7 at the median and by up to 6\u00d7 at the 99th percentile, and increases serving throughput by 47%. GPU memory usage stays at 80 GB.",
  ("89%", 89, None, "percent", "score", None, "cache hit rate"),
  ("3.4\u00d7", 3.4, None, "x", "reduction", None, "median time-to-first-token"),
  ("up to 6\u00d7", 6, None, "x", "reduction", "up_to", "p99 time-to-first-token"),
  ("47%", 47, None, "percent", "gain", None, "serving throughput"))

A("Faithful Explanations via Rationale Distillation",
  "Post-hoc explanations of text classifiers are often unfaithful. We distill rationales from a teacher that is constrained to predict from highlighted spans only. Student rationales achieve a comprehensiveness score of 0.47 and a sufficiency score of 0.12, improving comprehensiveness over attention-based rationales by 0.15, with no loss in task accuracy (92.1% vs. 92.3% for an unconstrained model).",
  ("comprehensiveness score of 0.47", 0.47, None, "score", "score", None, "comprehensiveness"),
  ("sufficiency score of 0.12", 0.12, None, "score", "score", None, "sufficiency"),
  ("0.15", 0.15, None, "points", "gain", None, "comprehensiveness"),
  ("92.1%", 92.1, None, "percent", "score", None, "task accuracy"))

A("Low-Rank Adapters Forget Less, but Learn Slower",
  "Parameter-efficient fine-tuning is often assumed to limit catastrophic forgetting. We test this across 4 model families and 8 target domains. LoRA with rank 16 retains on average 94% of source-domain performance after fine-tuning, versus 81% for full fine-tuning, but learns the target domain 1.5 times more slowly. The advantage shrinks as rank grows and disappears at rank 256.",
  ("on average 94%", 94, None, "percent", "finding", "average", "source-domain performance retained"),
  ("1.5 times", 1.5, None, "x", "finding", None, "learning speed on target domain"))

A("Reward Model Ensembles Mitigate Overoptimization",
  "Optimizing a policy against a learned reward model eventually degrades true quality. We show that ensembles of 5 reward models, combined by their worst-case estimate, delay this overoptimization. In RLHF on a summarization task, ensembles increase the peak gold reward by 0.31 and allow 3\u00d7 more KL divergence before quality declines. Compared with a single reward model, the ensemble improves human-rated win rate by 8 percentage points. Ensembling increases training cost by ~20%.",
  ("0.31", 0.31, None, "points", "gain", None, "peak gold reward"),
  ("3\u00d7", 3, None, "x", "gain", None, "KL divergence before quality declines"),
  ("8 percentage points", 8, None, "points", "gain", None, "human-rated win rate"),
  ("~20%", 20, None, "percent", "finding", "about", "training cost"))

A("TimeTab: A Benchmark for Temporal Reasoning over Tables",
  "We introduce TimeTab, a benchmark of 6,500 questions over 1,100 Wikipedia tables that require reasoning about dates and durations. Questions were written by annotators and verified by a second annotator. State-of-the-art LLMs achieve at most 58% exact match, with performance falling by more than 20 points on questions involving multiple time spans. A program-aided baseline we propose reaches 67.5%.",
  ("at most 58%", 58, None, "percent", "finding", "at_most", "exact match of LLMs"),
  ("more than 20 points", 20, None, "points", "finding", "more_than", "performance drop on multiple time spans"),
  ("67.5%", 67.5, None, "percent", "score", None, "exact match of program-aided baseline"))

A("Extending Context Windows with Non-Uniform Position Interpolation",
  "We revisit position interpolation for extending the context of pretrained LLMs. By rescaling frequencies non-uniformly and fine-tuning for only 400 steps, we extend LLaMA-2-7B from 4K to 32K tokens. Passkey retrieval accuracy at 32K is 99.2%, and perplexity on PG-19 at 32K is 7.12 vs. 7.85 for standard interpolation. Fine-tuning requires 60% fewer GPU hours than prior work.",
  ("99.2%", 99.2, None, "percent", "score", None, "passkey retrieval accuracy"),
  ("7.12", 7.12, None, "score", "score", None, "perplexity on PG-19"),
  ("60%", 60, None, "percent", "reduction", None, "GPU hours"))

A("Efficient Evaluation of LLMs with Item Response Theory",
  "Evaluating language models on full benchmarks is costly. We fit an item response theory model to responses from 300 models and select maximally informative items. With only 100 items per benchmark, our estimates of MMLU accuracy have a mean absolute error of 1.9 points and a rank correlation of 0.93 with full evaluation. This cuts evaluation cost by a factor of 140 on average. We release the selected items and the fitted parameters.",
  ("1.9 points", 1.9, None, "points", "score", None, "mean absolute error"),
  ("rank correlation of 0.93", 0.93, None, "score", "score", None, "rank correlation"),
  ("a factor of 140", 140, None, "x", "reduction", "average", "evaluation cost"))

A("Neural Speech Coding at 1.5 kbps with Pruned Codebooks",
  "We present a neural speech codec operating at 1.5 kbps. A residual vector quantizer with learned codebook pruning achieves a MUSHRA score of 84, on par with Opus at 12 kbps, i.e. an eightfold bitrate reduction at equal quality. Encoding runs in real time on a laptop CPU. In listening tests with 40 participants, our codec was preferred over the previous neural codec in 71% of trials.",
  ("MUSHRA score of 84", 84, None, "score", "score", None, "MUSHRA"),
  ("eightfold", 8, None, "x", "reduction", None, "bitrate"),
  ("71%", 71, None, "percent", "score", None, "listener preference"))

A("Do Multilingual Encoders Share Syntax? Evidence from Cross-Lingual Structural Probes",
  "We investigate whether multilingual encoders represent syntactic structure in a shared space. We train structural probes on 24 languages from Universal Dependencies v2.12 and test zero-shot transfer between all 552 language pairs. Probes transfer well within language families and poorly across them, and transfer quality correlates with typological similarity rather than with pretraining data size. Our analysis, covering models released from 2019 to 2023, suggests that shared syntax emerges early in pretraining.")

A("Learnable Feature Maps for Linear Attention",
  "We propose learnable random-feature maps for linear attention. On the Long Range Arena, our model scores 62.8 on average, 1.9 points above the best linear-attention baseline and close to softmax attention (63.4). On WikiText-103 it reaches a perplexity of 19.6. Training is 2.7\u00d7 faster at sequence length 4096 and memory scales linearly, using 4.5\u00d7 less memory at 16K tokens.",
  ("62.8", 62.8, None, "score", "score", "average", "Long Range Arena score"),
  ("1.9 points", 1.9, None, "points", "gain", None, "over linear-attention baseline"),
  ("perplexity of 19.6", 19.6, None, "score", "score", None, "perplexity on WikiText-103"),
  ("2.7\u00d7", 2.7, None, "x", "gain", None, "training speed"),
  ("4.5\u00d7", 4.5, None, "x", "reduction", None, "memory"))

A("Annotator Disagreement as Signal: Soft-Label Training for Hate Speech Detection",
  "Hate speech datasets aggregate annotator votes into a single label, discarding disagreement. We train classifiers directly on soft label distributions from 3 to 7 annotators per item. Soft-label training improves macro-F1 by up to 2.3% and 3.1% on the two benchmarks, and reduces expected calibration error by nearly a factor of two. On items with high disagreement, cross-entropy against human distributions falls by 17%.",
  ("up to 2.3%", 2.3, None, "percent", "gain", "up_to", "macro-F1"),
  ("3.1%", 3.1, None, "percent", "gain", "up_to", "macro-F1"),
  ("nearly a factor of two", 2, None, "x", "reduction", "about", "expected calibration error"),
  ("17%", 17, None, "percent", "reduction", None, "cross-entropy against human distributions"))

assert len(D) == 40, len(D)
titles = [d[0] for d in D]
assert len(set(titles)) == 40
n = 0
with open(OUT + "abstracts.jsonl", "w") as fa, open(OUT + "claims.jsonl", "w") as fc, open(OUT + "titles.txt", "w") as ft:
    for title, abstract, claims in D:
        fa.write(json.dumps({"title": title, "abstract": abstract}, ensure_ascii=False) + "\n")
        ft.write(title + "\n")
        for text, v, vm, unit, kind, q, metric in claims:
            assert text in abstract, (title, text)
            fc.write(json.dumps({"title": title, "value": v, "value_max": vm, "unit": unit, "kind": kind,
                                 "qualifier": q, "metric": metric, "text": text}, ensure_ascii=False) + "\n")
            n += 1
print("abstracts", len(D), "claims", n)

import type { AssignmentPack } from '../types';

/**
 * Technion CS236781, Spring 2023 final project, part 2: theoretical questions.
 * Released twice; the releases differ only in the prompt of 1.3 (labels and the indexing function).
 */
const PRELUDE = (labels: string): string =>
  [
    'import torch',
    'import torch.nn as nn',
    'torch.manual_seed({seed})',
    '# A small fixed network standing for "the model": images [B, Ch, H, W] -> logits [B, C].',
    'model = nn.Sequential(nn.Flatten(), nn.Linear({Ch} * {H} * {W}, {C}))',
    'x = torch.randn({B}, {Ch}, {H}, {W})',
    `y = torch.randint(0, {C}, ${labels})`,
    '',
  ].join('\n');

/**
 * Question 2's world: a model with a shared body and one output per task, so every parameter feeds both
 * losses (an answer calling autograd.grad without allow_unused=True works, and one passing it works too).
 * The loader's batches unpack as (inputs, targets) and index as batch['inputs']; the task losses take the
 * batch, or its inputs (with or without the targets).
 */
const TWO_TASKS = [
  'import torch',
  'import torch.nn as nn',
  'import torch.optim as optim',
  'import random',
  'torch.manual_seed({seed})',
  'random.seed({seed})',
  'class Model(nn.Module):',
  '    def __init__(self):',
  '        super().__init__()',
  '        self.body = nn.Linear(3, 4)',
  '        self.head = nn.Linear(4, 2)',
  '    def forward(self, x):',
  '        return self.head(torch.tanh(self.body(x)))',
  'def forward_and_compute_loss_1(model, inputs, *targets):',
  '    x, t = __nbcheck_batch__(inputs, *targets)',
  '    return ((model(x)[:, 0] - t[:, 0]) ** 2).mean()',
  'def forward_and_compute_loss_2(model, inputs, *targets):',
  '    x, t = __nbcheck_batch__(inputs, *targets)',
  '    return ((model(x)[:, 1] - t[:, 1]) ** 2).mean()',
  'model = Model()',
  'lr = 0.2',
  'optimizer = optim.SGD(model.parameters(), lr=lr)',
  'data_loader = [__nbcheck_make_batch__(torch.randn(6, 3), torch.randn(6, 2)) for _ in range(3)]',
  'dataloader = loader = train_loader = trainloader = train_dataloader = data_loader',
  'num_epochs = 2',
  'batch = data_loader[0]',
  'inputs, targets = batch',
  '',
].join('\n');

const TEMPLATE_HEAD = '# Input:  model, x, y.\n# Output: the loss on the current batch.\nlogits = model(x)\n...\nloss = ...\n';

export const spring2023Theory: AssignmentPack = {
  id: 'cs236781-spring2023-theory',
  title: 'CS236781 Spring 2023 final project — theoretical questions',
  minAnchors: 4,
  releases: [
    {
      id: 'original',
      title: 'original release (labels [B], log_softmax + index_select)',
      markers: ['hard labels given in a LongTensor (as usual)', "Use Torch's log_softmax and index_select functions"],
    },
    {
      id: 'revised',
      title: 'revised release (labels [B,1], log_softmax + gather)',
      markers: ['hard labels given in a LongTensor of shape $B \\times 1$', "Use Torch's log_softmax and gather functions"],
    },
  ],
  questions: [
    {
      id: '1',
      title: 'General understanding of the course material',
      points: 15,
      items: [
        {
          id: '1.1',
          title: 'Parameters, over-fitting and CNNs',
          anchors: ['Relate the number of parameters in a neural network to the over-fitting phenomenon'],
          promptEnds: ['In the context of classical under-fitting/over-fitting in machine learning models.'],
        },
        {
          id: '1.2',
          title: 'Linear classifier with hand-crafted features',
          anchors: ['Consider the linear classifier model with hand-crafted features'],
          promptEnds: ['try to describe the decision boundary of the above classifier).'],
        },
        {
          id: '1.3',
          title: 'Cross-entropy loss as a computational graph',
          anchors: ['Assume that we would like to train a Neural Network for classifying images into $C$ classes'],
          answerable: false,
        },
        {
          id: '1.3.1',
          title: 'Implement the CE loss',
          anchors: ['Implement the CE loss assuming that the labels $y$ are hard labels'],
          promptEnds: ['implement with less as possible operations.'],
          template: {
            original: 'from torch.nn.functional import log_softmax\nfrom torch import index_select\n' + TEMPLATE_HEAD,
            revised: 'from torch.nn.functional import log_softmax\nfrom torch import gather\n' + TEMPLATE_HEAD,
          },
        },
        {
          id: '1.3.2',
          title: 'The computational graph and its node count',
          anchors: ["Using the model's function as a black box, draw the computational graph"],
          promptEnds: ['How many nodes are there in the computational graph?'],
        },
        {
          id: '1.3.3',
          title: 'Soft labels: gradient, graph, memory and computation',
          anchors: ['instead of using hard labels, assume that the labels are representing some probability distribution'],
          promptEnds: ['analyze the growth in the computational graph, memory and computation.'],
        },
        {
          id: '1.3.4',
          title: 'Doubling the batch size and the learning rate',
          anchors: ['Apply the same analysis in the case that we would like to double the batch size'],
          promptEnds: ['How should we change the learning rate of the optimizer?'],
        },
      ],
    },
    {
      id: '2',
      title: 'Resolving gradient conflicts in multi-task learning',
      points: 7,
      items: [
        {
          id: '2',
          title: 'Resolving gradient conflicts in multi-task learning',
          anchors: ['Assume that you want to train a model to perform two tasks: task 1 and task 2.'],
          promptEnds: ['Implement the above algorithm in a code cell/s below'],
        },
      ],
    },
    {
      id: '3',
      title: 'Manual automatic differentiation',
      points: 7,
      items: [
        {
          id: '3',
          title: 'Manual automatic differentiation',
          anchors: ['Consider the following two-input two-output function'],
          promptEnds: ['Calculate manually the derivative of all outputs w.r.t all inputs using a backward mode AD.'],
        },
      ],
    },
    {
      id: '4',
      title: 'RNNs vs Transformers in the real life',
      points: 7,
      items: [
        {
          id: '4',
          title: 'RNNs vs Transformers in the real life',
          anchors: ['decide whether to use RNN based model or a transformer based model'],
          promptEnds: ['There is no restriction on the computational resources.'],
        },
      ],
    },
    {
      id: '5',
      title: 'VAEs and GANs',
      points: 7,
      items: [
        {
          id: '5',
          title: 'VAEs and GANs',
          anchors: ['Suggest a method for combining VAEs and GANs'],
          promptEnds: ['Which drawbacks of these models the combined model may overcome? which not?'],
        },
      ],
    },
    {
      id: '6',
      title: 'Diffusion models',
      points: 7,
      items: [
        {
          id: '6',
          title: 'Diffusion models',
          anchors: ['is tractable and is given by $\\mathcal{N}(x_{t-1}'],
          promptEnds: ['Do so by explicitly computing the PDF.'],
        },
      ],
    },
    {
      id: '7',
      title: 'Batch normalization and dropout',
      points: 7,
      items: [
        {
          id: '7',
          title: 'Batch normalization and dropout',
          anchors: ['For both BatchNorm and Dropout analyze the following'],
          promptEnds: ['Note that the proccesses are blocked between training iterations.'],
        },
      ],
    },
  ],
  key: [
    { kind: 'mandatory', questions: ['1'] },
    { kind: 'choose', count: 1, questions: ['2', '3'] },
    { kind: 'mandatory', questions: ['4', '5', '6', '7'] },
  ],
  posteriorFormulas: [{ item: '6' }],
  rubric: [
    {
      item: '1.1',
      ideas: [
        { id: 'capacity', label: 'more parameters mean more capacity, hence over-fitting with the data fixed', any: [/\b(capacity|complex\w*|expressiv\w*|hypothesis (class|space)|memori[sz]\w*|remember\w*|fit (the )?(training|noise))\b/] },
        { id: 'weight-sharing', label: 'weight sharing (one kernel over all positions)', any: [/\b(weight|parameter)[- ]shar\w*|\bshar\w* (its |their |the )?(same )?(weights|parameters|kernels?|filters?)\b|\b(weights|kernels?|filters?) (are|is) shared\b|\bties? (its |the )?weights\b|\b(kernel|filter)\b[^.]*\b(entire|whole|every|all)\b[^.]*\b(image|positions?|locations?)\b/] },
        { id: 'locality', label: 'locality (small receptive fields, local connections)', any: [/\blocal(ity| connectivity| connections?| receptive| patterns?| features?| regions?)\b|\breceptive fields?\b|\bkernel[_ ]size\s*[*x×]\s*kernel[_ ]size\b|\bk\s*\\?times\s*k\b/] },
        { id: 'equivariance', label: 'translation equivariance (a pattern found wherever it is)', any: [/\btranslation(al)?[- ](equivarian\w*|invarian\w*)|\bequivarian\w*|\bshift[- ]invarian\w*|\bregardless of (its |their )?(position|location)|\bwherever\b|\bany (position|location)\b/] },
      ],
    },
    {
      item: '1.2',
      ideas: [
        { id: 'ellipse', label: 'the boundary is an ellipse (a level set of xᵀQx)', any: [/\bellips\w*|\bcircles?\b|\bcircular\b|\bquadratic (curve|boundary|form)\b/] },
        { id: 'example', label: 'an example distribution: one class inside an ellipse or circle, the other around it', any: [/\bconcentric\b|\binside\b[^.]*\b(outside|around)\b|\bring\b|\bdisc\b|\bradius\b|\bnorm\b[^.]*\b(less|greater|smaller|larger|than)\b/] },
      ],
    },
    {
      item: '5',
      ideas: [
        { id: 'components', label: 'the parts: an encoder, a decoder that is the generator, a discriminator', any: [/\bdiscriminator\b[^.]*\b(encoder|decoder|generator)\b|\b(encoder|decoder|generator)\b[^.]*\bdiscriminator\b/] },
        { id: 'objectives', label: 'the objectives: KL and reconstruction for the VAE part, adversarial for the GAN part', any: [/\b(kl|kullback|reconstruction)\b/], also: [/\b(adversarial|gan (loss|objective)|discriminator('s)? (loss|objective)|minimax|min-max)\b/] },
        { id: 'tradeoffs', label: 'what the combination overcomes (blurry samples, no encoder) and what it does not (instability, no exact likelihood)', any: [/\b(blurr\w*|sharp\w*)\b/] },
      ],
    },
    {
      item: '7',
      ideas: [
        { id: 'running-stats', label: 'BatchNorm keeps running averages and uses them at inference', any: [/\b(running|moving)\s+(averages?|mean|means|statistics|estimates?|variance)\b|\bexponential (moving )?average\b/] },
        { id: 'modes', label: 'model.train() / model.eval() switch the modes', any: [/\.train\(\)|\.eval\(\)|\btrain(ing)? mode\b[^.]*\beval\w* mode\b/] },
        { id: 'sync-bn', label: 'with several GPUs, BatchNorm statistics are all-reduced (SyncBatchNorm)', any: [/\bsync\w*\s?batch\s?norm|\ball-?reduce\b|\b(sync\w*|shar\w*|averag\w*|aggregat\w*|combin\w*)\b[^.]*\b(statistics|means?|variances?)\b[^.]*\b(gpus?|devices?|process\w*)\b|\b(statistics|means?|variances?)\b[^.]*\b(sync\w*|shared|averaged|aggregated|combined)\b[^.]*\b(gpus?|devices?|process\w*)\b|\b(gpus?|devices?|process\w*)\b[^.]*\b(sync\w*|shar\w*|averag\w*)\b[^.]*\b(statistics|means?|variances?)\b/] },
      ],
    },
  ],
  misconceptions: [
    {
      id: 'q1.1-params-overfitting-reversed',
      items: ['1.1'],
      all: [/\b(more|additional|extra|increas\w*( the)?)\s+(number of\s+)?(parameters|weights)\b[^.]*\b(reduc\w*|prevent\w*|decreas\w*|avoid\w*|less(ens)?)\s+(the\s+)?(risk of\s+)?over-?fit\w*|\b(fewer|less|reduc\w*( the)?)\s+(number of\s+)?(parameters|weights)\b[^.]*\b(caus\w*|leads? to|increas\w*|more)\s+(the\s+)?(risk of\s+)?over-?fit\w*/],
      explanation:
        'It is the other way round: with the data fixed, more parameters mean more capacity to fit the training set\'s noise, so over-fitting grows with the number of free parameters; fewer parameters (e.g. by weight sharing) over-fit less.',
      reference: 'the bias–variance trade-off; Goodfellow, Bengio & Courville, Deep Learning (2016), §5.2',
    },
    {
      id: 'q1.1-cnn-more-parameters',
      items: ['1.1'],
      all: [/\b(cnns?|convolution\w*( layers?| networks?)?)\b[^.]*\bmore (parameters|weights) than\b[^.]*\b(fully[- ]connected|fc|dense|mlps?)\b/],
      explanation:
        'A convolutional layer has far fewer parameters than a fully connected one on the same input: a k × k kernel per input–output channel pair (k²·C_in·C_out), shared over all positions, instead of one weight per input–output pair.',
      reference: 'LeCun et al. (1998), weight sharing in convolutional networks; Goodfellow et al. (2016), §9.2',
    },
    {
      id: 'q1.2-hyperplane',
      items: ['1.2'],
      all: [/\bhyper-?planes?\b/, /\bbound\w*|\bseparat\w*/],
      explanation:
        'ψ(x) = xᵀQx is a single number, so the boundary {x : w·xᵀQx + b = 0} is a level set of a positive definite quadratic form: an ellipse centred at the origin (or empty, or everything) — not a hyperplane, of any degree.',
      reference: 'level sets of a positive definite quadratic form are ellipses (Q = UΛUᵀ: axes along Q\'s eigenvectors)',
    },
    {
      id: 'q1.2-linear-too',
      items: ['1.2'],
      all: [/\b(able to|can|could|also)\s+(approx\w*|represent\w*|learn\w*|model\w*|separat\w*|classif\w*|fit\w*)\b/, /(?<!non[- ]?)\blinear(ly)?\b/],
      anchor: 1,
      unless: [/\blinear(ly)?\s+(models?|classifiers?|separators?|function of x|in (the )?features?)\b/, /\bsimple\s+linear\b/],
      explanation:
        'The model thresholds the single number xᵀQx, so its boundaries are ellipses centred at the origin: it cannot represent a general linear boundary (a line), which the plain linear model can. What it adds is, e.g., a class inside a circle and the other around it (concentric circles).',
      reference: 'f(x) = w·xᵀQx + b depends on x only through xᵀQx',
    },
    {
      id: 'q1.3-decrease-lr',
      items: ['1.3.4'],
      all: [/\b(decreas\w*|reduc\w*|lower\w*|halv\w*|smaller)\b[^.]*\blearning[ -]rate\b|\blearning[ -]rate\b[^.]*\b(decreas\w*|reduc\w*|lower\w*|halv\w*|smaller|divided)\b/],
      unless: [/\bsum\w*\b/, /\b(increas\w*|larger|bigger|scal\w* up|linear(ly)? scal\w*|square root|sqrt)\b/, /\bdoubl\w* (the )?learning[ -]rate|learning[ -]rate[^.]*\bdoubl/],
      explanation:
        'With the loss averaged over the batch (the course\'s convention), doubling the batch keeps the gradient\'s scale and halves its noise: keep the learning rate or increase it (linear scaling: ×2; or ×√2), not decrease it. Only with a summed loss does the gradient double (then halving the rate keeps the step).',
      reference: 'Goyal et al., "Accurate, Large Minibatch SGD" (2017), the linear scaling rule; Krizhevsky (2014), √ scaling',
    },
    {
      id: 'q1.3-soft-one-class',
      items: ['1.3.3'],
      all: [/\b(only|just)\b[^.]*\b(one|a single|the (true|correct|target|labell?ed|right)) class(es)?\b[^.]*\b(gradients?|contribut\w*|loss)\b|\b(gradients?|loss)\b[^.]*\b(only|just)\b[^.]*\b(one|a single|the (true|correct|target|right)) class\b/],
      unless: [/\bhard\b|one-?hot/],
      explanation:
        'With soft labels every class with non-zero target probability enters the loss, −Σ_c y_c log p_c, so all C log-probabilities (y is B × C) get gradient; only with hard (one-hot) labels does a single class term remain.',
      reference: 'the cross-entropy with a target distribution, H(y, p) = −Σ_c y_c log p_c',
    },
    {
      id: 'q1.3-nodes-double',
      items: ['1.3.4'],
      all: [/\b(number of nodes|nodes in the (computational )?graph|graph\W?s (size|nodes))\b[^.]*\b(doubl\w*|twice|grows?|increas\w*)\b|\b(doubl\w*|twice)\b[^.]*\b(number of nodes|nodes in the (computational )?graph)\b/],
      explanation:
        'The computational graph has the same nodes for any batch size (one node per operation on tensors); doubling the batch doubles the size of the tensors each node holds, so memory and computation double, not the graph.',
      reference: 'a graph over tensor values: its structure does not depend on B',
    },
    {
      id: 'q2-optimizer-modified',
      items: ['2'],
      // A statement that the optimizer must change (its job, "adjusting the parameters", is not one).
      all: [/\b(should|must|needs? to|has to|have to|will)\s+(be\s+)?(modif\w*|chang\w*|rewrit\w*|customi[sz]\w*)\b[^.,;]*\boptimi[sz]er\b|\boptimi[sz]er\b[^.,;]*\b(should|must|needs? to|has to|have to)\s+(be\s+)?(modif\w*|chang\w*|rewrit\w*|customi[sz]\w*)\b|\bboth\b[^.]*\boptimi[sz]er\b[^.]*\bloop\b|\bboth\b[^.]*\bloop\b[^.]*\boptimi[sz]er\b/],
      unless: [/\bonly\b[^.]*\b(training )?loop\b/, /\bloop only\b/],
      explanation:
        'Only the training loop changes: it computes both task gradients, compares them and decides which loss to backpropagate; the optimizer still applies plain SGD to whatever gradient it is given.',
      reference: 'torch.optim.SGD.step applies −lr·grad to each parameter, whatever produced .grad',
    },
    {
      id: 'q4-rnn-parallel',
      items: ['4'],
      all: [/\b(rnns?|recurrent (neural )?networks?|lstms?|grus?)\b[^.]*\b(in parallel|parallel(i[sz]ed|i[sz]able|ly)?)\b/],
      unless: [/\btransformers?\b/, /\bunlike\b/],
      explanation:
        'An RNN computes its hidden state token by token (h_t needs h_{t−1}), so it cannot process a sequence\'s tokens in parallel; that is the Transformer\'s advantage.',
      reference: 'Vaswani et al., "Attention Is All You Need" (2017), §4: sequential operations O(n) for recurrent layers vs O(1) for self-attention',
    },
    {
      id: 'q5-exact-likelihood',
      items: ['5'],
      all: [/\b(exact|tractable|exactly computes? the)\s+(log-?)?likelihood\b/],
      unless: [/\b(flows?|autoregressive)\b/],
      explanation:
        'Neither part gives an exact likelihood: the VAE optimises a lower bound (the ELBO) and the GAN part none at all, so the combined model has no exact likelihood either (flows and autoregressive models do).',
      reference: 'Kingma & Welling (2014), the evidence lower bound; Larsen et al., "Autoencoding beyond pixels" (2016)',
    },
    {
      id: 'q5-solves-instability',
      items: ['5'],
      all: [/\b(complete\w*|entire\w*|fully|totally|all)\b[^.]*\b(solv\w*|eliminat\w*|remov\w*|fix\w*|overcom\w*)\b[^.]*\b(instabilit\w*|mode collapse|mode dropping)\b|\b(solv\w*|eliminat\w*|remov\w*|fix\w*|overcom\w*)\b[^.]*\b(instabilit\w*|mode collapse|mode dropping)\b[^.]*\b(complete\w*|entire\w*|fully|totally)\b/],
      anchor: 0,
      explanation:
        'The adversarial part keeps a GAN\'s training dynamics: the combination can ease mode collapse (the encoder ties samples to data) but does not remove training instability, which the question asks to name as what is not overcome.',
      reference: 'Larsen et al., "Autoencoding beyond pixels using a learned similarity metric" (2016), §5',
    },
    {
      id: 'q7-dropout-scale-by-p',
      items: ['7'],
      all: [/\b(multipl\w*|scal\w*)\b[^.]*\bby\s+(the\s+)?(dropout\s+(rate|probability|ratio)|drop(ping)?\s+(rate|probability)|probability\s+of\s+(dropping|dropout)|p)\b/],
      unless: [/1\s*[-−–]\s*p\b|\(1\s*[-−–]|\bkeep(ing)?\b|\bretain\w*\b|\bsurviv\w*\b|1\s*[-−–]\s*(the\s+)?dropout/],
      explanation:
        'Classic dropout scales by the keep probability 1 − p at inference (the expected fraction of units that were on in training), not by the dropout rate p; with inverted dropout (PyTorch\'s nn.Dropout) the 1/(1 − p) scaling happens during training and inference needs none.',
      reference: 'Srivastava et al., "Dropout" (JMLR 2014), §4 (p there is the retention probability); PyTorch nn.Dropout documentation',
    },
    {
      id: 'q7-dropout-gradient-active',
      items: ['7'],
      all: [/\bgradients?\b/, /\b(as if|as though|even though)\b[^.]*\b(dropped|drop-?out|deactivated|zeroed|removed)\b[^.]*\b(still\s+)?(active|present|there|kept|on)\b|\b(dropped|deactivated)[- ]?(out)?\s+(neurons?|units?)\b[^.]*\b(still|also)\s+(receive|get|contribute|update)\w*/],
      anchor: 1,
      explanation:
        'A dropped unit\'s output is multiplied by 0, so the backward pass multiplies its gradient by the same mask: dropped units get zero gradient in that step (the weights they feed are not updated through them).',
      reference: 'Srivastava et al., "Dropout" (JMLR 2014), §5.1: backpropagation through the thinned network',
    },
    {
      id: 'q7-bn-inference-batch-stats',
      items: ['7'],
      all: [/\b(inference|testing|test time|at test|evaluation|eval mode)\b/, /\b(current|mini-?batch|batch|test batch)\W?s?\s+(mean|means|statistics|variance|stats)\b|\bstatistics of the (current |test )?batch\b|\b(mean|variance) of the (current |test )?batch\b/],
      anchor: 1,
      unless: [/\b(running|moving|stored|population|recorded|accumulated|exponential|saved|training)\b/],
      explanation:
        'At inference BatchNorm does not use the batch\'s statistics: it normalises with the running mean and variance accumulated during training (model.eval() switches to them), so a prediction does not depend on the other samples in the batch.',
      reference: 'Ioffe & Szegedy, "Batch Normalization" (2015), §3.1; PyTorch BatchNorm (track_running_stats)',
    },
    {
      id: 'q7-same-dropout-mask',
      items: ['7'],
      all: [/\b(same|identical|shared|synchroni[sz]\w*)\s+(dropout\s+)?masks?\b|\bsynchroni[sz]\w*\s+(the\s+)?(dropout\s+)?masks?\b|\bmasks?\b[^.]*\b(same|identical|shared|synchroni[sz]\w*)\b/, /\b(gpus?|devices?|process(es)?|replicas?|workers?|copies)\b/],
      explanation:
        'Each GPU processes different samples, and dropout should drop units independently per sample: masks must be independent across GPUs (each process samples its own, e.g. from a different seed). Nothing needs to be shared for dropout; the same mask everywhere correlates the noise across the batch.',
      reference: 'dropout draws an independent Bernoulli mask per unit and per example (Srivastava et al. 2014, §4)',
    },
  ],
  // Q3: f(x,y) = (x^2 sin(xy + π/2), x^2 ln(1 + xy)), defined where 1 + xy > 0 (the course allows any point).
  differentiation: [
    {
      item: '3',
      defaultPoint: { x: 1, y: 2 },
      samplePoints: [{ x: 0.5, y: 0.7 }, { x: 1.3, y: -0.4 }, { x: -0.8, y: 0.6 }, { x: 1.7, y: 1.1 }],
    },
  ],
  trainingLoops: [
    {
      item: '2',
      prelude: TWO_TASKS,
      // Both runs meet conflicting (g1·g2 < 0) and agreeing steps whatever the random picks (pack test).
      seeds: [0, 5],
      lossFunctions: ['forward_and_compute_loss_1', 'forward_and_compute_loss_2'],
      parameterNames: {
        Model: ['Model', 'model_class', 'model_cls', 'ModelClass', 'model_type'],
        model: ['model', 'net', 'network', 'm'],
        optimizer: ['optimizer', 'opt', 'optim', 'sgd'],
        num_epochs: ['num_epochs', 'epochs', 'n_epochs', 'num_epoch', 'nepochs', 'epoch_count'],
        data_loader: ['data_loader', 'dataloader', 'loader', 'train_loader', 'trainloader', 'train_dataloader', 'data', 'dataset', 'batches', 'train_data'],
        forward_and_compute_loss_1: ['forward_and_compute_loss_1', 'loss_fn_1', 'loss_fn1', 'compute_loss_1', 'loss1_fn', 'f1', 'task1_loss'],
        forward_and_compute_loss_2: ['forward_and_compute_loss_2', 'loss_fn_2', 'loss_fn2', 'compute_loss_2', 'loss2_fn', 'f2', 'task2_loss'],
        lr: ['lr', 'learning_rate', 'eta', 'step_size'],
        inputs: ['inputs', 'x', 'input'],
        batch: ['batch'],
      },
      maxSteps: 6,
      describe: 'a model whose parameters all feed both task losses, SGD (lr 0.2), a loader of 3 batches, 2 epochs',
    },
  ],
  exercises: [
    {
      item: '1.3.1',
      inputs: ['model', 'x', 'y'],
      result: 'loss',
      prelude: { original: PRELUDE('({B},)'), revised: PRELUDE('({B}, 1)') },
      reference: {
        // The mean over the batch of -log p(y_i | x_i), picking each sample's own label.
        original: [
          'from torch.nn.functional import log_softmax',
          'from torch import index_select',
          'logits = model(x)',
          'loss = -index_select(log_softmax(logits, dim=1).view(-1), 0, y + logits.shape[1] * torch.arange(logits.shape[0])).mean()',
        ].join('\n'),
        revised: [
          'from torch.nn.functional import log_softmax',
          'from torch import gather',
          'logits = model(x)',
          'loss = -gather(log_softmax(logits, dim=1), 1, y).mean()',
        ].join('\n'),
      },
      required: { original: ['log_softmax', 'index_select'], revised: ['log_softmax', 'gather'] },
      describeInputs: { original: 'x [{B}, {Ch}, {H}, {W}], y [{B}], C={C}', revised: 'x [{B}, {Ch}, {H}, {W}], y [{B}, 1], C={C}' },
      expected: 'the cross-entropy loss',
      showValues: ['y'],
      countIn: '1.3.2',
      // B differs from C and from Ch·H·W in every batch, so a [B, B] intermediate is told apart.
      batches: [
        { seed: 1, B: 4, C: 3, Ch: 1, H: 2, W: 3 },
        { seed: 2, B: 7, C: 5, Ch: 3, H: 2, W: 3 },
        { seed: 3, B: 16, C: 10, Ch: 2, H: 4, W: 4 },
      ],
      tolerance: { rtol: 1e-4, atol: 1e-5 },
      parameterNames: {
        model: ['model', 'net', 'network', 'm'],
        x: ['x', 'inputs', 'input', 'images', 'imgs', 'batch', 'data', 'X'],
        y: ['y', 'labels', 'label', 'targets', 'target', 'Y', 'y_true', 'classes'],
        logits: ['logits', 'scores', 'outputs', 'output', 'out', 'z', 'preds', 'predictions', 'y_hat', 'y_pred'],
      },
    },
  ],
};

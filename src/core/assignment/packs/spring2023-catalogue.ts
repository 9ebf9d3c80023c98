/**
 * Spring 2023 theory: the rubric (right ideas a grader looks for) and the misconception catalogue (claims a
 * grader marks wrong), as pack data. Patterns read the lower-case sentence with fenced code and long math
 * blanked, short inline code and math as text (checks/sentences.ts); word groups keep one idea spelled one
 * way (../phrases.ts). Each entry is tested with asserting, negated and right sentences (test/core/prose.test.ts)
 * and on rounds of sentences written apart from it (test/core/paraphrases.test.ts).
 */
import { frames } from '../frames';
import { phrases } from '../phrases';
import type { PackMisconception, PackRubric } from '../types';

const p = phrases({
  params: '(?:(?:the )?(?:number|amount|count) of )?(?:(?:learn(?:able|ed)|free|trainable|model) )?(?:parameters?|weights?|params)\\b',
  more: '(?:too many|many more|more|many|lots? of|a lot of|additional|extra|increas\\w*(?: the| in)?|adding|add|larger|bigger|higher|(?:a )?(?:large|huge|big|high|larger|bigger|higher|greater) (?:number|amount|count) of)',
  fewer: '(?:too few|fewer|less|few|(?:a )?(?:small|low|smaller|lower) (?:number|amount|count) of|reduc\\w*(?: the| in)?|decreas\\w*(?: the| in)?|lower\\w*(?: the)?|limit\\w*(?: the)?|remov\\w*)',
  overfit: 'over[- ]?fit\\w*',
  underfit: 'under[- ]?fit\\w*',
  lessen: '(?:reduc\\w*|prevent\\w*|decreas\\w*|avoid\\w*|lessen\\w*|lower\\w*|mitigat\\w*|combat\\w*|less (?:likely|prone|susceptible|vulnerable) to|helps? (?:to )?(?:avoid|prevent|reduce|fight)|protect\\w* against|goes down|go down|drops?|falls?|shrinks?)',
  cause: '(?:caus\\w*|leads? to|leading to|results? in|resulting in|increas\\w*|more (?:likely|prone|susceptible|vulnerable) to|will|would|tends? to|makes? (?:it |the model )?|induc\\w*)',
  cnn: '(?:cnns?|convnets?|conv(?:olution(?:al)?)?(?: layers?| nets?| networks?| neural networks?| models?)?)',
  fc: '(?:fully[- ]connected|fc|dense|mlps?|linear layers?|feed-?forward|perceptrons?)',
  boundary: '(?:decision )?(?:bound\\w*|separat\\w*|curve|surface|classifier)',
  lr: '(?:learning[ -]?rates?|lr|step[ -]?sizes?)\\b',
  lower: '(?:decreas\\w*|reduc\\w*|lower\\w*|halv\\w*|smaller|divid\\w*|cut\\w*)',
  raise: '(?:increas\\w*|rais\\w*|larger|bigger|higher|scal\\w* up|multipl\\w*|doubl\\w*)',
  grad: '(?:gradients?|grads?)\\b',
  twice: '(?:doubl\\w*|twice|two times|2 times|2x|x ?2\\b|multiplied by 2|by a factor of (?:2|two))',
  rnn: '(?:rnns?|recurrent (?:neural )?(?:networks?|nets?|models?|layers?)|lstms?|grus?|the recurrence)\\b',
  transformer: '(?:transformers?|self-attention|attention)\\b',
  infer: '(?:inference|test(?:ing)?|test time|evaluation|eval(?: mode)?|prediction)\\b',
  dropped: '(?:dropped|deactivated|zeroed|removed|inactive|switched off|turned off)(?:[- ]out)?',
  unit: '(?:neurons?|units?|nodes?|activations?|weights?)\\b',
  stats: '(?:batch |mini-?batch )?(?:means?|variances?|statistics|stats|std|standard deviations?)\\b|μ(?:[ _]?b\\b)?|σ(?:\\^?2|²)?(?:[ _]?b\\b)?(?:\\^?2|²)?',
  backward: '(?:backward(?: pass)?|backprop\\w*|back-propagation|gradients?)\\b',
  gpus: '(?:gpus?|devices?|process(?:es)?|replicas?|workers?|copies|ranks?)\\b',
});

/**
 * The concepts the catalogue's frames relate (../frames.ts): a small synonym table each, on word stems; a
 * phrase marked `:-` is the concept's other side (an MLP against a CNN, blurry against sharp).
 */
const f = frames({
  params: 'parameter* | param | params | paramter* | weight* | degrees of freedom | model size | capacity | complexity | trainable variable*',
  overfit: 'overfit* | over-fit* | over fit* | memoriz* | memoris* | generaliz*:- | generalis*:- | underfit*:- | under-fit*:-',
  // What else can be the cause of less over-fitting ("this constraint prevents over-fitting as the parameters grow").
  agent: 'constraint* | restrict* | regulari* | weight sharing | weight-sharing | pooling | dropout | prior*',
  net: 'cnn* | convnet* | conv | convolution* | conv layer* | convolutional* | mlp*:- | fully connected:- | fully-connected:- | fc:- | dense:- | feedforward:- | feed-forward:- | linear layer*:- | perceptron*:-',
  compared: 'than | compared | comparison | relative to | vs | versus | unlike',
  batch: 'batch* | mini-batch* | minibatch* | b',
  lr: 'learning rate* | learning-rate* | lr* | step size* | step-size* | η | eta',
  sum: 'sum* | summed | summing | summation | aggregat* | accumulat* | add up | added up | reduction sum | reduction=sum',
  nodes: 'node* | vertex | vertices | graph size | size of the graph | computational graph | graph',
  tensor: 'tensor* | memory | activation* | each node | per node | intermediate | value* | matrix | matrices | storage',
  logits: 'logit* | log-softmax* | log_softmax* | logsoftmax* | log-prob* | log prob* | log_prob* | log probabilit* | log-probabilit* | model output* | output* of the model | network output* | prediction* | softmax output*',
  already: 'already | same size | same shape | both cases | either case | in both | as before | anyway | than the labels | than the hard labels | than hard labels | than y | than the targets | than the label indices',
  optimizer: 'optimizer* | optimiser* | sgd | adam | update rule | optimizer.step* | step() | optim | torch.optim*',
  outside: 'before | outside | agnostic | unchanged | as is | only the loop | only the training loop | loop only | stays | remains | untouched | intact | standard sgd | plain sgd | normal sgd | redundant | unnecessary | needless | pointless | not needed | not necessary',
  modify: 'modif* | overrid* | chang* | rewrit* | customi* | alter* | adapt* | new optimizer | custom optimizer | own optimizer | subclass* | implement* a new | edit*',
  classic: 'classic | classical | standard dropout | original dropout | vanilla dropout | non-inverted | non inverted | not inverted',
  inverted: 'inverted dropout | inverted | nn.dropout | pytorch* dropout | pytorch*',
  rescale: 'scal* | rescal* | multipl* | divid* | compensat* | 1 / ( 1-p ) | 1-p',
  infer: 'inference | test | testing | test time | test-time | evaluation | evaluat* | eval | eval() | model.eval* | net.eval* | eval* mode | predict* | deploy*',
  train: 'during training | in training | at training | training time | train time | while training | training phase | in train mode | training step*',
  dropping: 'drops* | dropped* | dropping* | drop random* | randomly drop* | zero* out | zeroed | deactivat* | masked | masks | mask | random mask* | random subset* | different subset* | random neuron* | random unit* | randomly switched off | randomly turned off | randomly zero* | randomly dropped | randomly deactivat*',
  // What else drops ("memory use drops at test time"): in its clause, "drops" is not dropout's.
  quantity: 'memory | accuracy | loss | performance | error | errors | usage | cost | costs | runtime | latency | speed | score | consumption',
  onlytrain: 'only during training | only in training | only at training | only while training | only when training | only for training | only in train* | monte carlo | monte-carlo | mc dropout | mc-dropout | uncertaint*',
  nograd: 'no_grad* | torch.no_grad* | no grad | with torch.no_grad*',
  modes: 'eval mode | evaluation mode | inference mode | test mode | eval() | model.eval* | eval behavio* | inference behavio* | running stat* | running mean*',
  layers: 'dropout | dropout layer* | batchnorm* | batch norm* | bn | batch-norm*',
  boundary: 'boundar* | separator | separating surface | separating curve | decision surface | decision rule | level set | classifier | the curve',
  hyperplane: 'hyperplane* | hyper-plane* | straight line* | line | flat surface | linear boundar* | linear separator | plane',
  feature: 'feature space | ψ space | psi space | in ψ | in the feature | space of ψ | linear model* | linear classifier* | logistic regression | plain linear | standard linear | ordinary linear | regular linear | in terms of ψ | one-dimensional | 1d | 1-d',
  linsep: 'linearly separable | linear separab* | linear boundar* | linear decision | linear classifier* | linear model* | linear function* | linear separator* | linear data | any line | straight line*',
  also: 'also | too | as well | special case | includ* | contain* | subsum* | cover* | superset | more expressive | more powerful | at least as | plus | in addition',
  conic: 'parabol* | hyperbol* | any conic | general conic | arbitrary conic | any quadratic curve | separab* by a conic*',
  indefinite: 'indefinite | not positive definite | were not positive | was not positive | negative eigenvalue* | if q were | if q was | linear term* | general quadratic',
  grad: 'gradient* | grad | grads | derivative*',
  cost: 'comput* | calculat* | based on | subset* | cost* | time | memory | flop* | operation* | work | storage | variance* | noise | noisy | accura* | precis* | estimat* | reliab* | quality | direction | better | good | stable | stabl* | number of terms | terms | samples | examples | sum of | contributions',
  onlyone: 'only one class | only the true class | only the correct class | only the target class | only a single class | just one class | just the true class | only one entry | only one term | only one logit | only the true label | only the correct label | only the ground truth | only the ground-truth | only the argmax | only the highest | only the most likely | only the label class | only its | single entry | a single class | one class | argmax | most likely class | highest probability class | class with the highest | only that class | only this class | only the most probable | most probable class | true-class term | only the true-class',
  hard: 'hard label* | hard-label* | one-hot | one hot | onehot | hard target* | integer label* | class index | class indices | before , | previously | originally | original | index label* | integer*',
  rnn: 'rnn* | recurrent* | lstm* | gru* | recurrence | transformer*:- | attention:- | self-attention:- | attn:- | self-attn:-',
  parallel: 'parallel* | paralel* | simultaneous* | at once | at the same time | concurrent* | all together | in one go | all tokens together | all at once',
  across: 'across the batch | over the batch | batch dimension | batch | across sequences | different sequences | across samples | layers in parallel',
  attn: 'attention | self-attention | attn | self-attn | transformer* | rnn*:- | recurrent*:- | lstm*:-',
  linear: 'linear* | o ( n ) | o ( nd ) | o ( n d ) | o ( n * d ) | proportional* | ∝ | quadratic*:- | n 2:- | n²:- | o ( n 2 ):- | o ( n² ):- | squared:-',
  costq: 'complexit* | cost* | time | memory | scal* | grow* | comput* | runtime | run time | proportional* | ∝ | expensive | cheap* | flop* | operation*',
  // The cost of one step or one token: linear in the length is right for it (one query against n keys).
  perstep: 'per step | each step | every step | per time step | each time step | per token | each token | per new token | each new token | per new input | per query | each query | per generated token | each generated token | per output token',
  lincomb: 'combination* | weighted sum | weighted average | linear layer* | linear projection* | projection* | linear map* | linear transformation* | linear in the values | linearly separable',
  longrange: 'beginning of the sequence | begining of the sequence | start of the sequence | first token* | first word* | early token* | earlier token* | far relation* | far-away | thousands of tokens | many steps earlier | long-range* | long range* | long-term* | long term* | long sequence* | long context* | long-distance | distant* | far apart | far away | long dependenc* | long input* | long text* | long paper* | long document* | long-dependenc* | long dependanc*',
  exact: 'exact likelihood | exact log-likelihood | exact log likelihood | exact p(x) | exact density | exact probabilit* | tractable likelihood | true likelihood | precise likelihood | explicit likelihood | likelihood exactly | exact marginal likelihood | exact log p(x) | exact log-probabilit* | p(x) exactly | p(x) precisely | exact value of p(x) | likelihood precisely | exactly compute* | compute* exactly | calculate* exactly | exact',
  flow: 'flow* | autoregressive* | pixelcnn | lower bound | elbo | approximat* | approx | bound',
  instab: 'instabilit* | unstable | unstability | mode collapse | mode-collapse | training problem* | oscillat* | non-convergence | convergence problem* | convergence issue* | unstable training',
  partial: 'partial* | partl* | somewhat | to some extent | mitigat* | ease* | eases | help* | reduc* | decreas* | lower* | less | alleviat* | some of | may | might | can still | still | not fully | not completely | not entirely | remain* | persist*',
  fullystable: 'fully stable | completely stable | perfectly stable | always stable | always converg* | guarantee* converg* | guarantee* stab* | stable by design | totally stable | no instability | no more unstable | converges stably | problem gone | problem is gone',
  gen: 'vae* | variational autoencoder* | variational auto-encoder* | reconstruction loss | reconstruction term | mse | l2 loss | pixel-wise | pixelwise | elbo | gan*:- | adversarial*:- | discriminator*:-',
  sharp: 'sharp* | crisp* | high quality | high-quality | realistic | detailed | fine detail* | high fidelity | high-fidelity | blurr*:- | blurry:- | fuzzy:- | smooth*:- | low quality:- | washed out:-',
  scale: 'multipl* | scal* | times | rescal* | weigh* by | ×',
  byp: 'by p | with p | times p | by the dropout rate | by the dropout probability | by the drop rate | by the drop probability | by the probability of dropping | by the dropping probability | by dropout rate | by dropout probability | by the rate p | by p itself | × p | * p | p ×',
  keepside: '1-p | 1 - p | keep* prob* | retain* | probability of keeping | keep rate | keeping probability | survival | 1 / ( 1-p ) | 1 / p | divid*',
  dropunit: 'dropped neuron* | dropped unit* | dropped node* | dropped activation* | dropped-out neuron* | dropped out neuron* | zeroed neuron* | zeroed unit* | deactivated neuron* | deactivated unit* | masked neuron* | masked unit* | dropped one* | inactive neuron* | inactive unit* | switched off neuron* | turned off neuron* | those neurons | these neurons | those units | these units | units that were zeroed | neurons that were dropped | units that were dropped | neurons that were zeroed | zeroed-out unit* | zeroed out unit*',
  getgrad: 'gradient* | grad | grads | updat* | backprop* | back-prop* | back propagation | backward pass',
  asif: 'as if | as though | like they were | like normal | as usual | like the others | like any other | like every other | like all the others | full gradient | normally | as normal | usual gradient',
  zero: 'zero | zeros | 0 | masked | mask | no gradient | none',
  batchstats: 'batch statistic* | batch mean* | batch variance* | batch stat* | mean of the batch | variance of the batch | statistic* of the batch | mean and variance of the batch | current batch | test batch | the batch | mini-batch statistic* | minibatch statistic* | statistics of the test* | statistics of the current | statistics of the input* | on the fly | test sample* | current sample* | current input* | own statistic* | own mean | its own stat* | running:- | moving:- | stored:- | population:- | accumulated:- | saved:- | training statistic*:- | ema:- | exponential:- | learned statistic*:- | estimated statistic*:-',
  stats: 'mean* | varianc* | statistic* | stats | std | μ | σ',
  constant: 'constant* | const | fixed | given | non-differentiable | non differentiable | detached | stop-gradient | stop gradient | treated as scalar* | just numbers | plain numbers',
  running: 'running | moving | momentum | buffer* | inference | eval* | test*',
  flowgrad: 'gradient* | grad | grads | backprop* | derivative* | chain rule | backward',
  evalm: 'model.eval* | net.eval* | eval() | eval mode | evaluation mode',
  gradcomp: 'computational graph | computation graph | autograd graph | gradient* | grad | grads | autograd | backprop* | graph | requires_grad | gradient computation | gradient tracking | gradient calculation',
  same: 'same | identical | shared | share* | synchroni* | sync* | common | broadcast* | copied | copy | independent*:- | different:- | own:- | separate:- | distinct:- | unique:- | its own:- | their own:-',
  mask: 'mask* | seed* | dropped neuron* | neurons dropped | dropout pattern* | pattern of dropped | same neurons',
  init: 'initial weight* | initiali* | weight init* | model weight* | parameters | the weights',
  gpus: 'gpu* | device* | process* | replica* | worker* | rank* | machine* | card*',
});

/** A summed loss named as the label of what follows ("summed loss: … η' = η/2"): a condition, not the exam's loss. */
const SUM_LABEL = /\b(sum\w*|agg?r[ae]gat\w*)(?: loss| reduction)?\s*:/;

export const RUBRIC: readonly PackRubric[] = [
  {
    item: '1.1',
    ideas: [
      // The relation itself (parameters ↔ capacity or over-fitting), not "hypothesis class" alone.
      { id: 'capacity', label: 'more parameters mean more capacity, hence over-fitting with the data fixed', any: [/\b(more|many|larger|bigger|increas\w*|number of|amount of|lots of|reduc\w*|fewer)\b[^.;]*\b(parameters|weights|params)\b[^.;]*\b(capacity|complex\w*|expressiv\w*|memori[sz]\w*|remember\w*|over-?fit\w*|fit (the )?(training|noise))|\b(capacity|complex\w*|expressiv\w*)\b[^.;]*\b(parameters|weights|params)\b/], contradictedBy: ['q1.1-params-overfitting-reversed'] },
      { id: 'weight-sharing', label: 'weight sharing (one kernel over all positions)', any: [/\b(weight|parameter)[- ]shar\w*|\bshar\w* (its |their |the )?(same )?(weights|parameters|kernels?|filters?)\b|\b(weights|kernels?|filters?) (are|is) shared\b|\bties? (its |the )?weights\b|\b(kernel|filter)\b[^.]*\b(entire|whole|every|all)\b[^.]*\b(image|positions?|locations?)\b/], contradictedBy: ['q1.1-cnn-more-parameters'] },
      { id: 'locality', label: 'locality (small receptive fields, local connections)', any: [/\blocal(ity| connectivity| connections?| receptive| patterns?| features?| regions?)\b|\breceptive fields?\b|\bkernel[_ ]size\s*[*x×]\s*kernel[_ ]size\b|\bk\s*\\?times\s*k\b/] },
      { id: 'equivariance', label: 'translation equivariance (a pattern found wherever it is)', any: [/\btranslation(al)?[- ](equivarian\w*|invarian\w*)|\bequivarian\w*|\bshift[- ]invarian\w*|\bregardless of (its |their )?(position|location)|\bwherever\b|\bany (position|location)\b|\bindependently of where\b/] },
    ],
  },
  {
    item: '1.2',
    ideas: [
      // "Quadratic" alone is not the answer: with Q positive definite, the quadratic boundary is an ellipse.
      { id: 'ellipse', label: 'the boundary is an ellipse (a level set of xᵀQx)', any: [/\bellips\w*|\bcircles?\b|\bcircular\b/], contradictedBy: ['q1.2-hyperplane', 'q1.2-conic', 'q1.2-linear-too'] },
      { id: 'example', label: 'an example distribution: one class inside an ellipse or circle, the other around it', any: [/\bconcentric\b|\binside\b[^.]*\b(outside|around)\b|\brings?\b|\bannul\w*|\bdiscs?\b|\bradius\b|\binner\b|\bouter\b|\bsmaller (ellipse|circle)\b|\bcontained (within|inside|in)\b|\bsurround\w*|\bnorm\b[^.]*\b(less|greater|smaller|larger|than)\b/] },
    ],
  },
  {
    item: '5',
    ideas: [
      { id: 'components', label: 'the parts: an encoder, a decoder that is the generator, a discriminator', any: [/\bdiscriminator\b[^.]*\b(encoder|decoder|generator)\b|\b(encoder|decoder|generator)\b[^.]*\bdiscriminator\b/] },
      { id: 'objectives', label: 'the objectives: KL and reconstruction for the VAE part, adversarial for the GAN part', any: [/\b(kl|kullback|reconstruction)\b/], also: [/\b(adversarial|gan (loss|objective)|discriminator('s)? (loss|objective)|minimax|min-max)\b/] },
      { id: 'tradeoffs', label: 'what the combination overcomes (blurry samples, no encoder) and what it does not (instability, no exact likelihood)', any: [/\b(blurr\w*|sharp\w*)\b/], contradictedBy: ['q5-vae-sharp', 'q5-solves-instability', 'q5-exact-likelihood'] },
    ],
  },
  {
    item: '7',
    ideas: [
      { id: 'running-stats', label: 'BatchNorm keeps running averages and uses them at inference', any: [/\b(running|moving)\s+(averages?|mean|means|statistics|estimates?|variance)\b|\bexponential (moving )?average\b/], contradictedBy: ['q7-bn-inference-batch-stats'] },
      { id: 'modes', label: 'model.train() / model.eval() switch the modes', any: [/\.train\(\)|\.eval\(\)|\btrain(ing)? mode\b[^.]*\beval\w* mode\b/], contradictedBy: ['q7-no-grad-switches-mode', 'q7-eval-disables-grad'] },
      {
        id: 'sync-bn',
        label: 'with several GPUs, BatchNorm statistics are all-reduced (SyncBatchNorm)',
        // In the students' words too: "compute the global mean and variance and send them back to every GPU".
        any: [/\bsync\w*\s?batch\s?norm|\ball-?(reduce|gather)\b|\b(sync\w*|shar\w*|averag\w*|aggregat\w*|combin\w*|gather\w*|collect\w*|communicat\w*|exchang\w*|send\w*|broadcast\w*|reduc\w*|global)\b[^.]*\b(statistics|means?|variances?|stats)\b[^.]*\b(gpus?|devices?|process\w*|replicas?|workers?)\b|\b(statistics|means?|variances?|stats)\b[^.]*\b(sync\w*|shared|averaged|aggregated|combined|gathered|collected|communicated|exchanged|sent|broadcast\w*|reduced)\b[^.]*\b(gpus?|devices?|process\w*|replicas?|workers?)\b|\b(gpus?|devices?|process\w*|replicas?|workers?)\b[^.]*\b(sync\w*|shar\w*|averag\w*|aggregat\w*|send\w*|exchang\w*|communicat\w*)\b[^.]*\b(statistics|means?|variances?|stats)\b|\bglobal (batch )?(mean|variance|statistics|stats)\b/],
      },
    ],
  },

  {
    item: '1.3.3',
    ideas: [
      { id: 'all-classes', label: 'every class with non-zero target probability enters the loss and its gradient', any: [/\b(all|every|each|entire|whole)\b[^.;]*\b(classes|class|entries|probab\w*|log-?probab\w*|terms|outputs|logits)\b|\bsum\w* over (the |all )?(c |classes)|\bover (all )?(the )?classes\b|\bp\s*-\s*q\b|\b(entire|whole|full) (target |label |probability )?distribution|\b(each|every|all) log[_-]?softmax/], contradictedBy: ['q1.3-soft-one-class'] },
      { id: 'y-shape', label: 'y is B × C (the labels take C times the memory)', any: [/\b[bn]\s*(x|×|\*|\\times|by)\s*c\b|\[\s*[bn]\s*,\s*c\s*\]|\(\s*[bn]\s*,\s*c\s*\)|\bmatrix\b|\bdistributions? (rather than|instead of) (just )?(a )?single (numbers?|labels?|values?|indic\w*|index\w*)|\bvectors? of (size|length|dimension) c\b|\bc[- ]dimensional\b|\bbatch[_ ]size\b[^.]*\b(num[_ ]classes|number of classes)\b/] },
    ],
  },
  {
    item: '1.3.4',
    ideas: [
      { id: 'same-graph', label: 'the graph keeps its nodes (only the tensors grow)', any: [/\b(same|unchanged|stays?|remains?|constant)\b[^.;]*\b(graph|nodes?)\b|\b(graph|nodes?)\b[^.;]*\b(same|unchanged|stays?|remains?|constant|keeps?)\b/], negated: [/\bno (growth|change|increase|difference)\b[^.;]*\b(graph|nodes?)\b|\b(graph|nodes?)\b[^.;]*\b(does not|doesn't|won't|will not|wouldn't|would not) (grow|change|increase)\b/], contradictedBy: ['q1.3-nodes-double'] },
      {
        id: 'learning-rate',
        label: 'the learning rate: keep it or increase it with a mean loss (linear or √2 scaling)',
        // A mention of the learning rate is not the idea: what is done with it is.
        any: [/\b(learning[ -]?rates?|lr)\b[^.;]*\b(keep\w*|same|unchanged|increas\w*|rais\w*|larger|bigger|higher|doubl\w*|scal\w* (it )?up|multipl\w*|linear(ly)? scal\w*|proportional\w*|square root|sqrt|√|2\s*(x|×|\*)|×\s*2)|\b(keep\w*|increas\w*|rais\w*|doubl\w*|scal\w* up|multipl\w*)\b[^.;]*\b(learning[ -]?rates?|lr)\b|\blinear scaling\b/],
        unless: [/\b(decreas\w*|reduc\w*|lower\w*|halv\w*|smaller|divid\w*)\b[^.;]{0,30}\b(learning[ -]?rates?|lr)\b|\b(learning[ -]?rates?|lr)\b[^.;]{0,40}\b(decreas\w*|reduc\w*|lower\w*|halv\w*|smaller|divid\w*)/],
        contradictedBy: ['q1.3-decrease-lr', 'q1.3-gradient-doubles'],
      },
    ],
  },
];

export const MISCONCEPTIONS: readonly PackMisconception[] = [
  {
    id: 'q1.1-params-overfitting-reversed',
    items: ['1.1'],
    frames: [f('params! overfit! ~agent => -')],
    all: [
      p('{more} {params}…{lessen} (?:the )?(?:risk of |chance of )?{overfit}|{more} {params}…\\b(?:less|reduced|lower) {overfit}|\\bthe more (?:\\w+ )?(?:parameters|weights|params)\\b…\\bthe less\\b…{overfit}|{overfit} (?:happens|occurs|arises|is (?:caused|common|likely|more likely)|comes)…\\b(?:when|if|because|due to|with|by|from)\\b…{fewer} {params}|{fewer} {params}…{overfit} (?:more (?:easily|often|quickly)|easily|quickly)|{fewer} {params}…{cause} (?:the )?(?:risk of )?{overfit}|{more} {params}…{cause} (?:the )?(?:risk of )?{underfit}'),
    ],
    unless: [p('{overfit} less\\b')],
    or: [{ all: [p('{more} {params}…{overfit} (?:actually |even |also )?(?:goes down|go down|drops?|falls?|shrinks?|gets? (?:smaller|lower))\\b')] }, { all: [p('{fewer} {params}…\\bso\\b (?:it|the model|the network|the net) (?:will |would )?{overfit}\\b(?! (?:much |far |a lot )?less\\b)')] }, { all: [p('\\b(?:increas\\w*|add\\w*|more|raise\\w*)\\b (?:the )?{params}…\\bto (?:fix|avoid|prevent|reduce|fight|solve|cure|stop) (?:it|this|the (?:problem|issue)|{overfit})'), p('{overfit}')], unless: [p('{underfit}')] }, { all: [p('{more} {params}…\\b(?:risk|chance|probability) of {overfit} (?:is |gets |will be |would be )?(?:actually |even |also )?(?:reduced|decreas\\w*|lower\\w*|smaller|less)\\b|{fewer} {params} (?:is|are) the (?:one|ones) (?:who|that|which|wich) {overfit}')] }, { all: [p('{more} {params}…{overfit} (?:is |gets |will be |would be |becomes? )?(?:reduced|decreas\\w*|lower\\w*|prevented|avoided|smaller|less)\\b|{params} (?:increases?|grows?)…{overfit} (?:decreases?|reduc\\w*|drops?|goes down)|(?:{fewer} {params}|\\b(?:small|smaller|tiny|little) (?:network|model|net)s?\\b)…\\b(?:who|that|which)\\b (?:is |are |will |would |tends? to |does )?{overfit}')] }],
    explanation:
      'It is the other way round: with the data fixed, more parameters mean more capacity to fit the training set\'s noise, so over-fitting grows with the number of free parameters; fewer parameters (e.g. by weight sharing) over-fit less, and too few under-fit.',
    reference: 'the bias–variance trade-off; Goodfellow, Bengio & Courville, Deep Learning (2016), §5.2',
  },
  {
    id: 'q1.1-cnn-more-parameters',
    items: ['1.1'],
    frames: [f('net params! &compared => +')],
    all: [p('{cnn}…(?:many more|more|a (?:larger|bigger|higher|greater) (?:number|amount) of) {params} (?:than|compared (?:to|with))…{fc}|{fc}…(?:fewer|less|a (?:smaller|lower) (?:number|amount) of) {params} (?:than|compared (?:to|with))…{cnn}')],
    or: [{ all: [p('{cnn}…{params} (?:is|are) (?:much |far |way )?(?:bigger|larger|higher|greater) compared (?:to|with)…{fc}')] }, { all: [p('\\bcompared (?:to|with) (?:an? |the )?{fc}…{cnn}…\\b(?:needs?|has|have|uses?|requires?) (?:many |much |far )?more {params}')] }, { all: [p('{cnn}…{params} (?:is|are) (?:much |far |way )?(?:bigger|larger|higher|greater|more) th[ae]n…{fc}|{cnn}…\\b(?:heavier|bigger|larger) in (?:terms of )?{params}|{cnn}…\\bheavier\\b…{params}')], unless: [p('{fc}…(?:more|heavier|bigger|larger)…th[ae]n…{cnn}')] }, { all: [p('{cnn}…(?:much more|far more|way more) {params} (?:th[ae]n|compared (?:to|with))…{fc}|{params} (?:in|of) (?:an? |the )?{cnn}…\\b(?:is|are) (?:much |far )?(?:larger|bigger|higher|greater|more)\\b…{fc}|{params}\\W*\\(?\\W*{cnn}\\W*\\)?\\W*more than\\W*(?:{params})?\\W*\\(?\\W*{fc}')] }],
    explanation:
      'A convolutional layer has far fewer parameters than a fully connected one on the same input: a k × k kernel per input–output channel pair (k²·C_in·C_out), shared over all positions, instead of one weight per input–output pair.',
    reference: 'LeCun et al. (1998), weight sharing in convolutional networks; Goodfellow et al. (2016), §9.2',
  },
  {
    id: 'q1.2-hyperplane',
    items: ['1.2'],
    frames: [f('boundary hyperplane ~feature => + near')],
    all: [/\bhyper-?planes?\b/, p('{boundary}|\\bdefin\\w*|\\b(?:degree|order)\\b')],
    // The linear model's boundary, or the boundary in ψ's one-dimensional feature space, is a hyperplane.
    // A hyperplane in ψ's one-dimensional feature space is right; "linear in ψ(x), so still a hyperplane in x" is not.
    unless: [/\b(in|on|of) (the |that |this |its |a )?(one[- ]dimensional |1-?d )?(feature space|space of (the )?features|ψ\W?s? space|psi\W?s? space|one[- ]dimensional|1-?d)\b|\bhyperplane in (ψ|psi|the feature)|\bunlike\b|\bwhereas\b|\bas opposed to\b|\bin contrast\b|\blinear (model|classifier)\w*\b[^.]*hyperplane/],
    or: [{ all: [/\bforms? an? (straight |flat )?line\b|\bis an? (straight |flat )?line in (r\^?2|r²|the (input )?plane|2d|the input space)\b/], unless: [/\b(a|the) (simple |plain |standard |ordinary )?linear (model|classifier)\w* (has|have|is|gives|draws|separates|uses)\b|\blinear (model|classifier)\w*\b[^.;]*\b(cannot|only)\b|\bunlike\b|\bwhereas\b|\bin contrast\b|\bfeature space\b|\bψ|\bpsi\b/] }, { all: [/\bboundary\s*(=|:|is)\s*(an? )?(straight )?line\b/], unless: [/\blinear (model|classifier)\w*\b[^.;]*\bline\b|\bunlike\b|\bwhereas\b|\bin contrast\b|\bfeature space\b/] }, { all: [/\b(boundary|separator|classifier)\b[^.;]*\b(is|will be|remains|stays|becomes) (still |just |simply )?an? (straight )?line\b/], unless: [/\blinear (model|classifier)\w*\b[^.;]*\bline\b|\bunlike\b|\bwhereas\b|\bin contrast\b|\bfeature space\b/] }, { all: [/\b(classifier|model|boundary)\b[^.;]*\b(separat\w*|divid\w*|split\w*)\b[^.;]*\bby an? (straight )?line\b|\bboundary (is|will be|remains|stays) (still )?an? (straight )?line\b/], unless: [/\blinear (model|classifier)\w*|\bfeature space|\bunlike\b|\bwhereas\b|\bin contrast\b|\bψ|\bpsi\b|\bbeyond\b|\bdata (split|separated|divided) by\b/] }],
    explanation:
      'ψ(x) = xᵀQx is a single number, so the boundary {x : w·xᵀQx + b = 0} is a level set of a positive definite quadratic form: an ellipse centred at the origin (or empty, or everything) — not a hyperplane, of any degree.',
    reference: 'level sets of a positive definite quadratic form are ellipses (Q = UΛUᵀ: axes along Q\'s eigenvectors)',
  },
  {
    id: 'q1.2-linear-too',
    items: ['1.2'],
    frames: [f('linsep also => + near')],
    all: [/\b(able to|capable of|can|could|also)\s+(approx\w*|represent\w*|learn\w*|model\w*|separat\w*|classif\w*|fit\w*)\b/, /(?<!non[- ]?)\blinear(ly)?\b/],
    anchor: 1,
    unless: [/\blinear(ly)?\s+(models?|classifiers?|separators?|function of x|in (the )?features?)\b/, /\bsimple\s+linear\b/],
    // "Anything a linear model separates, this model separates too."
    or: [{ all: [/\blinear (decision )?(rules?|boundar\w*|classifiers?|separators?|functions?)\b[^.;]*\b(included|contained|covered|a special case)\b/], unless: [/\bnot\b|\bcannot\b/] }, { all: [/\blinear (decision )?(boundar\w*|separat\w*|separators?)\b[^.;]*\b(special case|can (also )?(be )?express\w*|can (also )?(represent|learn|model)\w*|as well)\b/], unless: [/\bcannot\b|\bnot\b/] }, { all: [/\b(any|every|all|whatever)\b[^.;]*\blinear(ly)?\s+(models?|classifiers?|separab\w*)\b[^.;]*\b(can|could)\b[^.;]*\b(also|too|as well)\b|\b(this|our) model\b[^.;]*\b(can|could)\b[^.;]*\b(also|too|as well)\b[^.;]*\b(any|every|all)\b[^.;]*\blinear/] }],
    explanation:
      'The model thresholds the single number xᵀQx, so its boundaries are ellipses centred at the origin: it cannot represent a general linear boundary (a line), which the plain linear model can. What it adds is, e.g., a class inside a circle and the other around it (concentric circles).',
    reference: 'f(x) = w·xᵀQx + b depends on x only through xᵀQx',
  },
  {
    id: 'q1.2-conic',
    items: ['1.2'],
    frames: [f('conic ~indefinite => +')],
    all: [/\b(parabol\w*|hyperbol\w*|(any|general|arbitrary) (conic|quadratic (curve|boundary|shape)))/, p('{boundary}|\\bshape|\\bset\\b|\\bcurve|\\bconic|\\blevel set')],
    unless: [/\bindefinite\b|\bif q (were|was|is) not\b|\bgeneral quadratic (classifier|model|form)/],
    explanation:
      'Q is positive definite, so xᵀQx > 0 away from the origin and the boundary {x : xᵀQx = −b/w} is an ellipse centred at the origin (or empty): a parabola or a hyperbola would need an indefinite or singular Q, or linear terms in x, which ψ does not have.',
    reference: 'level sets of a positive definite quadratic form are ellipses',
  },
  {
    id: 'q1.3-decrease-lr',
    items: ['1.3.4'],
    frames: [f('batch! lr! ~sum => -'), f('lr! ~batch ~sum => -')],
    all: [p('{lower}…{lr}|{lr}…{lower}')],
    // With a summed (aggregated) loss, lowering the rate is right: said as a condition ("if the loss is summed",
    // "with sum reduction"). Said as a fact of this exam ("since we aggregate the gradients"), it contradicts
    // the course's ruling that the loss is averaged over the batch, and the claim stands.
    unless: [/\b(if|when|whenever|with|for|assuming|in case|provided|suppose)\b(\s+[\w']+){0,3}\s+(sum\w*|agg?r[ae]gat\w*|accumulat\w*|add(ed|ing)? up)\b/, SUM_LABEL, p('(?<!\\bbatch(?: size)? (?:is |gets |are |was )?){raise} (?:the |our )?{lr}|{lr} (?:should |must |can |could |needs? to |has to |to |would )?(?:be )?{raise}|linear(?:ly)? scal\\w*|square root|sqrt|√')],
    explanation:
      'With the loss averaged over the batch (the course\'s convention), doubling the batch keeps the gradient\'s scale and halves its noise: keep the learning rate or increase it (linear scaling: ×2; or ×√2), not decrease it. Only with a summed loss does the gradient double (then halving the rate keeps the step).',
    reference: 'Goyal et al., "Accurate, Large Minibatch SGD" (2017), the linear scaling rule; Krizhevsky (2014), √ scaling',
    lossIn: '1.3.1',
    formula: 'learning-rate',
  },
  {
    id: 'q1.3-gradient-doubles',
    items: ['1.3.4'],
    frames: [f('batch! grad!^cost ~sum => +'), f('grad!^cost ~batch ~sum ~lr => +')],
    all: [p('{grad}(?: (?:norm|magnitude|size|scale|values?))?…{twice}|{twice} (?:the )?(?:(?:magnitude|size|norm|scale|value) of (?:the )?)?{grad}')],
    // A summed loss does double it; the cost of computing the gradient doubles too.
    // "As we sum the contributions" states a sum as the exam's loss (the course's is the mean): the claim stands.
    unless: [/\b(if|when|whenever|with|for|assuming|in case|provided|suppose|only)\b(\s+[\w']+){0,3}\s+(sum\w*|agg?r[ae]gat\w*|accumulat\w*|add(ed|ing)? up)\b/, SUM_LABEL, /\bcomput\w*|\bcost\b|\btime\b|\bmemory\b|\bflops\b|\boperations?\b|\bwork\b|\bstorage\b/, /\bsame (scale|size|magnitude|norm|expected)\b|\b(unchanged|does not change|stays the same|remains the same|keeps its)\b/],
    explanation:
      'With the loss averaged over the batch (the usual reduction, and F.cross_entropy\'s default), doubling the batch leaves the gradient\'s expected size unchanged and halves its variance; the gradient doubles only with a summed loss.',
    reference: 'E[∇ (1/B) Σ_i ℓ_i] does not depend on B; PyTorch reduction="mean"',
    lossIn: '1.3.1',
    formula: 'gradient',
  },
  {
    id: 'q1.3-soft-one-class',
    items: ['1.3.3'],
    frames: [f('onlyone ~hard => +')],
    all: [p('(?:only|just)…(?:one|a single|single|the single(?: target| true| correct)?|the (?:true|correct|target|label(?:l?ed)?|ground[- ]truth|right|real|actual)) class(?:es)?…(?:{grad}|contribut\\w*|loss|participat\\w*|affect\\w*|matters?)|(?:{grad}|loss)…(?:only|just)…(?:one|a single|the single(?: target| true| correct)?|the (?:true|correct|target|label(?:l?ed)?|ground[- ]truth|right|real|actual)) class\\b')],
    // "With hard labels only the true class counts" is right; "as with hard labels, only ..." is not.
    unless: [/(?<!\bas )\b(with|for|using|under|in the case of) (the )?(hard|one-?hot)\b|\b(hard|one-?hot)[- ]?(labels?|targets?)?[- ]?(case|setting|version|scenario)\b/, /\ball (the |c )?(classes|c\b)/],
    or: [{ all: [p('{backward}…\\bonly\\b (?:through|via|from|over) (?:the )?(?:[\\w-]+ )?(?:probabilit\\w*|log-?probabilit\\w*|entry|term|output|logit) of the (?:true|correct|target|label(?:l?ed)?|ground[- ]truth|right|real|actual) class')] }, { all: [p('{grad}…\\bonly\\b…\\bclass (?:with|of) the (?:highest|largest|biggest|max\\w*|greatest) (?:probability|prob\\w*|value|score)|\\b(?:still )?behaves? like (?:a )?one-?hot\\b…{backward}')] }, { all: [p('\\b(?:only|just)\\b (?:its|the|one|a single) (?:\\w+ )?(?:entry|term|index|element|probability|log[_-]?softmax entry|class)…\\b(?:contribut\\w*|affect\\w*|matters?|counts?|participat\\w*)|{grad}…\\b(?:non-?zero|non zero|different from zero)\\b…\\bonly\\b…\\b(?:index|entry|position|element|coordinate) of the (?:true|correct|target|label(?:l?ed)?|ground[- ]truth|right|real|actual) class|{grad}…\\bonly\\b…\\b(?:index|entry|position|element) of the (?:true|correct|target|label(?:l?ed)?|ground[- ]truth|right|real|actual) class')], unless: [/(?<!\bas )\b(with|for|using|under|in the case of) (the )?(hard|one-?hot)\b(?![^.;]*\b(also|too|as well|exactly as|like)\b)|\b(hard|one-?hot)[- ]?(labels?|targets?)?[- ]?(case|setting|version|scenario)\b/, /\ball (the |c )?(classes|c\b)/] }],
    explanation:
      'With soft labels every class with non-zero target probability enters the loss, −Σ_c y_c log p_c, so all C log-probabilities (y is B × C) get gradient; only with hard (one-hot) labels does a single class term remain.',
    reference: 'the cross-entropy with a target distribution, H(y, p) = −Σ_c y_c log p_c',
  },
  {
    // Which tensors grow with soft labels: y (B → B × C) and what multiplies it; the logits and the
    // log-probabilities are B × C with hard labels too.
    id: 'q1.3-soft-logits-grow',
    items: ['1.3.3'],
    frames: [f('logits! ~already => +')],
    all: [
      p('\\b(?:logits?|log[_ -]?softmax(?: output)?|log[- ]?probabilit\\w*|log[_ ]?probs?|model\\W?s? outputs?|outputs? of the model|predictions?)\\b‥\\b(?:grow\\w*|becom(?:e|es|ing) (?:larger|bigger)|(?:is|are|will be|get|gets) (?:larger|bigger)|produces? (?:a )?(?:larger|bigger)|(?:matrix|tensor) (?:is |becomes? )?(?:larger|bigger)|increas\\w* in (?:size|memory)|take (?:more|c times (?:more )?) (?:memory|space)|(?:c|b) times (?:bigger|larger|more))\\b'),
      /\b(soft|distribution\w*|probabilit\w*|now)\b/,
    ],
    unless: [/\b(y|labels?|targets?)\b[^.;,]{0,30}\b(grow\w*|larger|bigger|b ?[x×*] ?c)\b[^.;]*\b(logits?|log[_ -]?softmax|log[- ]?probabilit\w*)\b[^.;]*\b(same|already|unchanged)\b|\balready\b|\bsame size\b|\bunchanged\b/],
    or: [{ all: [p('\\b(?:logits?|log[_ -]?softmax(?: node| output)?|log[- ]?probabilit\\w*)\\b‥\\b(?:outputs? (?:a )?(?:larger|bigger)|becom\\w* (?:a )?b ?[x×*] ?c)\\b'), /\b(soft|distribution\w*|probabilit\w*|now)\b/], unless: [/\balready\b|\bsame size\b|\bunchanged\b/] }, { all: [p('\\b(?:make|makes|making) (?:the )?(?:logits?|log[_ -]?softmax(?: output)?|log[- ]?probabilit\\w*|model\\W?s? outputs?)(?: matrix| tensor)? (?:bigger|larger)|\\b(?:the )?model\\W?s? outputs? (?:that )?(?:gets?|becomes?|is) (?:larger|bigger)'), /\b(soft|distribution\w*|probabilit\w*|now)\b/] }],
    explanation:
      'The logits and the log-probabilities are B × C with hard labels too (log_softmax runs over all C classes either way); what grows with soft labels is y, from B class indices to a B × C distribution (C times the memory), and the product y ⊙ log p with its sum over classes that replaces the selection.',
    reference: 'the cross-entropy with a target distribution, H(y, p) = −Σ_c y_c log p_c: y is B × C',
  },
  {
    id: 'q1.3-nodes-double',
    items: ['1.3.4'],
    frames: [f('batch! nodes!^tensor => +'), f('nodes!^tensor ~batch => +')],
    all: [p('(?:number of nodes|amount of nodes|node count|nodes in the (?:computational )?graph|graph\\W?s (?:size|nodes))…(?:{twice}|grows?|increas\\w*)|(?:{twice}|twice as many) (?:the )?(?:number of |amount of )?nodes|\\b2 ?n nodes')],
    // "The graph stays the same (same number of nodes), but every tensor is twice as big" says the opposite.
    unless: [/\bsame (number of nodes|nodes|graph|structure)\b|\b(nodes|graph)\W+(the )?(same|unchanged|constant)\b|\b(graph|nodes|structure)\b[^.;]{0,20}\b(stays?|remains?|is|are|keeps?)\b[^.;]{0,10}\b(the same|unchanged|constant)\b|\b(nodes|graph)\b[^.;]{0,40}\b(stays?|remains?|does not (change|grow))\b/],
    or: [{ all: [/\bduplicat\w* (every|each|all)( the)? nodes?\b|\bgraph\b[^.;]*\b(two times|twice) (larger|bigger|as (large|big))\b/], unless: [/\bsame (number of nodes|nodes|graph|structure)\b|\b(nodes|graph)\b[^.;]{0,40}\b(stays?|remains?|does not (change|grow))\b|\btensors?\b/] }, { all: [/\b(twice|double) as (many|much) nodes\b|\bnodes\b[^.;]*\b(twice|double) as (many|much)\b/] }, { all: [/\b(doubl\w*|twice)\b (the )?(size of the )?(computational )?graph\b(?! (is|stays|remains) the same)|\bnumber of nodes\W+n\W+(so|to|becomes?|goes to)\W+2 ?n\b|\bgraph\b[^.;]*\b(each|every) (new )?sample adds\b/], unless: [/\bsame (number of nodes|nodes|graph|structure)\b|\bmemory of the graph\b/] }],
    explanation:
      'The computational graph has the same nodes for any batch size (one node per operation on tensors); doubling the batch doubles the size of the tensors each node holds, so memory and computation double, not the graph.',
    reference: 'a graph over tensor values: its structure does not depend on B',
  },
  {
    id: 'q2-optimizer-modified',
    items: ['2'],
    frames: [f('optimizer modify ~outside => + near')],
    // A statement that the optimizer must change (its job, "adjusting the parameters", is not one).
    all: [
      p(
        '(?:should|must|needs? to|has to|have to|will)\\s+(?:be\\s+)?(?:modif\\w*|chang\\w*|rewrit\\w*|customi[sz]\\w*)\\b‥\\boptimi[sz]er|\\boptimi[sz]er\\b‥\\b(?:should|must|needs? to|has to|have to)\\s+(?:be\\s+)?(?:modif\\w*|chang\\w*|rewrit\\w*|customi[sz]\\w*|adapt\\w*|adjust\\w*|alter\\w*|extend\\w*)|\\bboth\\b…\\boptimi[sz]er\\b…\\bloop\\b|\\bboth\\b…\\bloop\\b…\\boptimi[sz]er|\\b(?:custom|new|own|special|modified|dedicated)\\s+(?:sgd\\s+)?optimi[sz]er|\\b(?:modif\\w*|chang\\w*|rewrit\\w*|customi[sz]\\w*|subclass\\w*|overrid\\w*|extend\\w*|adjust\\w*|alter\\w*) (?:the |our |its )?(?:sgd )?optimi[sz]er\\b|\\b(?:modifications?|changes?) (?:is|are|should be|must be|will be|needs? to be) (?:made )?(?:in|to) (?:the )?optimi[sz]er|\\boptimi[sz]er (?:is|should be|must be) the (?:one|part|thing|component) (?:that|which) (?:is|should be|needs to be|must be|has to be) (?:modif\\w*|chang\\w*|rewrit\\w*)',
      ),
    ],
    unless: [/\bonly\b[^.]*\b(training )?loop\b/, /\bloop only\b/, /\bor both\b/, /\?\s*$/, /\b(stays?|remains?|is left|left) (the same|unchanged|as is|intact)|\bunchanged\b/],
    or: [{ all: [p('\\b(?:adam|sgd|optimi[sz]er)(?: update| step| rule)?(?: itself)? (?:must|should|has to|needs to|have to) be (?:changed|modified|rewritten|adapted|customi[sz]ed)')], unless: [/\bonly\b[^.]*\b(training )?loop\b/] }, { negative: true, all: [p('\\b(?:adam|sgd|optimi[sz]er)\\b…\\b(?:it|this|they) (?:has|have|needs?|must|should) to be (?:changed|modified|rewritten|adapted|extended|customi[sz]ed)')], unless: [/\bonly\b[^.]*\b(training )?loop\b/, /\bloop only\b/] }],
    explanation:
      'Only the training loop changes: it computes both task gradients, compares them and decides which loss to backpropagate; the optimizer still applies plain SGD to whatever gradient it is given.',
    reference: 'torch.optim.SGD.step applies −lr·grad to each parameter, whatever produced .grad',
  },
  {
    id: 'q4-rnn-parallel',
    items: ['4'],
    frames: [f('rnn parallel ~across => +')],
    // A Transformer named between the RNN and "parallel" takes the claim ("RNNs are sequential, while transformers run in parallel").
    all: [p('{rnn}(?:(?!transformer|attention)[^.;])*?(?:in parallel|parallel(?:i[sz]ed|i[sz]able|ly)?\\b|simultaneous\\w*|concurrent\\w*|(?:all|whole|entire|every)\\b…\\b(?:at once|at the same time))')],
    unless: [p('\\bunlike (?:an? |the )?{rnn}')],
    explanation:
      'An RNN computes its hidden state token by token (h_t needs h_{t−1}), so it cannot process a sequence\'s tokens in parallel; that is the Transformer\'s advantage.',
    reference: 'Vaswani et al., "Attention Is All You Need" (2017), §4: sequential operations O(n) for recurrent layers vs O(1) for self-attention',
  },
  {
    id: 'q4-attention-linear',
    items: ['4'],
    frames: [f('attn linear &costq ~lincomb ~perstep => +')],
    all: [p('{transformer}…\\b(?:cost|complexity|time|memory|computation|runtime|scales?|scaling|grows?)\\b…\\b(?:linear(?:ly)?\\b|o\\(n\\))|{transformer}…\\b(?:linear(?:ly)?|o\\(n\\)) (?:time|cost|complexity|memory|in the (?:sequence )?length)')],
    // An RNN named as the contrast ("unlike RNNs, whose cost is linear") takes the claim; "the same as an RNN" does not.
    unless: [p('quadratic\\w*|n\\^ ?2|n²|n ?\\* ?n|o\\(n\\^?2\\)|squared|linear attention|linformer|performer|efficient attention|sparse attention|\\b(?:unlike|whereas|while|but|in contrast to|compared to|as opposed to) (?:an? |the )?{rnn}|{rnn}(?:\\W?s)? (?:cost|complexity|time|computation) (?:is|are|grows?|scales?)')],
    or: [{ all: [p('\\bdoubl\\w* the (?:sequence |input )?length\\b…\\bonly doubles\\b…{transformer}|\\bdoubl\\w* the (?:length|sequence)(?: length)? of the (?:input|sequence)\\b…\\bonly doubles\\b…{transformer}')] }, { all: [p('\\b(?:cost|complexity|time|memory|runtime)\\b (?:of|for) (?:the )?(?:self-)?(?:attention|transformers?)\\b…\\b(?:linear(?:ly)?\\b|o\\(n(?:\\W?d)?\\))')], unless: [p('quadratic\\w*|n\\^ ?2|n²|n ?\\* ?n|o\\(n\\^?2|squared|linear attention|linformer|performer|efficient attention|sparse attention')] }, { all: [p('{transformer}…\\b(?:scales?|grows?|costs?|is|runs?) (?:like |as |in )?o\\((?:n|t|l|length|seq\\w*)\\)|{transformer}…\\bdoubling the (?:sequence )?length (?:only )?doubles\\b')], unless: [p('quadratic\\w*|n\\^ ?2|n²|o\\(n\\^?2|o\\(t\\^?2|squared|linear attention|linformer|performer|efficient attention|sparse attention')] }],
    explanation:
      'Self-attention compares every pair of positions: its time and memory grow quadratically with the sequence length n (O(n²·d) per layer); it is an RNN\'s cost that grows linearly.',
    reference: 'Vaswani et al., "Attention Is All You Need" (2017), Table 1',
  },
  {
    id: 'q4-rnn-long-range',
    items: ['4'],
    frames: [f('rnn! longrange => +')],
    all: [
      p('{rnn}…\\b(?:better|superior|more (?:effective|capable|suited)|stronger)\\b…\\b(?:long[- ](?:range|term)|long (?:sequences|inputs|texts|contexts?)|distant|far)\\b|{rnn}…\\b(?:long[- ](?:range|term)|long (?:sequences|inputs|texts|contexts?)|distant|far)\\b…\\b(?:better|more (?:effectively|easily))\\b'),
      /\b(than|compared (to|with)|over) (an? |the )?(transformers?|attention)/,
    ],
    or: [{ all: [p('{rnn}…\\bwins?\\b'), /\b(long|far|distant)\b/] }, { all: [p('{rnn} (?:is |are )?(?:better|superior|stronger) (?:in|at|for) (?:capturing |handling |modell?ing |learning )?(?:long[- ](?:range|term)|distant)')] }, { all: [p('{transformer}…\\b(?:loses?|forgets?|drops?)\\b (?:the )?(?:context|information)\\b…{rnn}|{rnn}…\\b(?:win|wins|better)\\b…\\blong[- ](?:range|term)')] }, { all: [/\blong[- ]?(range|term|distance)|\bdistant\b|\bearly words\b/, p('{rnn} (?:is |are )?(?:more than|better than|superior to|stronger than) (?:an? |the )?{transformer}')] }, { all: [/\blong[- ]?(range|term|distance)\b|\bdistant\b|\bfar (apart|away)\b/, /\b(better|more easily|more effectively|more reliably|superior|stronger|easier)\b/, p('{rnn}…\\bthan (?:by |with |in )?(?:an? |the )?(?:transformers?|attention|self-attention)\\b')] }, { all: [p('{transformer}…\\b(?:struggl\\w*|bad|worse|poor\\w*|weak\\w*|fail\\w*|suffer\\w*|can ?not|unable)\\b…\\blong[- ]?(?:range|term|distance)|{rnn}…\\b(?:captur\\w*|remember\\w*|handl\\w*|model\\w*|keep\\w*|retain\\w*)\\b…\\bbetter than (?:an? |the )?(?:transformers?|attention|self-attention)\\b'), /\b(long|far|distant|beginning|first (tokens|words|steps)|early|start)\b/] }],
    explanation:
      'In an RNN, information between distant tokens passes through every hidden state in between (path length O(n)), and gradients vanish along the way; self-attention connects any two positions directly (path length O(1)). Long-range dependencies are the Transformer\'s strength, not the RNN\'s.',
    reference: 'Vaswani et al., "Attention Is All You Need" (2017), §4 and Table 1 (maximum path length)',
  },
  {
    id: 'q5-exact-likelihood',
    items: ['5'],
    frames: [f('exact ~flow => +')],
    all: [/\b(exact|tractable|exactly computes? the)\s+(log-?)?likelihood\b/],
    unless: [/\b(flows?|autoregressive)\b/],
    or: [{ all: [/\b(comput\w*|evaluat\w*|get|obtain\w*|optimi[sz]\w*|maximi[sz]\w*)\b[^.;]*\bp\(x\)[^.;]*\bexact(ly)?\b|\btrue likelihood\b/], unless: [/\b(lower bound|elbo|approximat\w*|bound)\b|\b(flows?|autoregressive)\b/] }, { all: [/(\blog ?p\(x\)|\blog-?likelihood\b|\blikelihood\b)[^.;]*\bexact(ly)?\b|\bexact(ly)?\b[^.;]*(\blog ?p\(x\)|\blog-?likelihood\b)|\b(precise|true|actual|exact) (log-?)?likelihood\b/], unless: [/(?<!\bnot (just |only |merely )?(a |an )?)\b(lower bound|elbo|approximat\w*)\b|(?<!\bnot (just |only |merely )?(a |an )?(lower |upper )?)\bbound\b|\b(flows?|autoregressive)\b/] }],
    explanation:
      'Neither part gives an exact likelihood: the VAE optimises a lower bound (the ELBO) and the GAN part none at all, so the combined model has no exact likelihood either (flows and autoregressive models do).',
    reference: 'Kingma & Welling (2014), the evidence lower bound; Larsen et al., "Autoencoding beyond pixels" (2016)',
  },
  {
    id: 'q5-solves-instability',
    items: ['5'],
    frames: [f('instab! ~partial => -'), f('fullystable ~partial => +')],
    all: [
      p(
        '\\b(?:solv\\w*|eliminat\\w*|remov\\w*|fix\\w*|overcom\\w*|resolv\\w*) (?:all|every|each)\\b…\\b(?:instabilit\\w*|unstable|mode collapse|mode dropping)|\\b(?:complete\\w*|entire\\w*|fully|totally|all)\\b…\\b(?:solv\\w*|eliminat\\w*|remov\\w*|fix\\w*|overcom\\w*|resolv\\w*)\\b…\\b(?:instabilit\\w*|unstable|mode collapse|mode dropping)|\\b(?:solv\\w*|eliminat\\w*|remov\\w*|fix\\w*|overcom\\w*|resolv\\w*)\\b…\\b(?:instabilit\\w*|unstable|mode collapse|mode dropping)\\b…\\b(?:complete\\w*|entire\\w*|fully|totally)\\b|\\b(?:instabilit\\w*|unstable|mode collapse|mode dropping)\\b…\\b(?:complete\\w*|entire\\w*|fully|totally)\\b…\\b(?:solv\\w*|eliminat\\w*|remov\\w*|fix\\w*|overcom\\w*|resolv\\w*|gone|disappear\\w*|avoid\\w*|prevent\\w*)',
      ),
    ],
    or: [{ all: [/\b(fully|completely|totally|perfectly) stable\b|\bproblems? of (the )?(gan )?training (is|are) (solved|gone|eliminated|fixed)\b/], unless: [/\b(partial\w*|somewhat|to some extent|mitigat\w*|may|might)\b/] }, { negative: true, all: [/\b(cannot|can not|will not|no longer)\b[^.;]*\b(mode[- ]collapse|collaps\w*)\b[^.;]*\b(anymore|any more)\b|\bstable by (construction|design)\b/], unless: [/\b(partial\w*|somewhat|to some extent|mitigat\w*|may|might)\b/] }, { all: [/\bno more (mode collapse|collaps\w*|instabilit\w*)|\b(training|it) (always|surely) (converg\w*|is stable)\b|\bnever (collaps\w*|diverg\w*)\b/], unless: [/\b(partial\w*|somewhat|to some extent|mitigat\w*|may|might|can help|helps? (to )?reduce)\b/] }, { negative: true, all: [p('\\b(?:no longer|not (?:suffer\\w*|have|face\\w*)\\b[^.;]*\\b(?:anymore|any more)|can no longer|never (?:again )?(?:collaps\\w*|suffer\\w*))\\b…\\b(?:instabilit\\w*|unstable|mode collapse|collaps\\w*)|\\b(?:instabilit\\w*|unstable|mode collapse|collaps\\w*)\\b…\\b(?:no longer|not\\b[^.;]*\\b(?:anymore|any more))\\b|\\b(?:instabilit\\w*|unstable (?:training|dynamics)?|mode collapse)\\b…\\b(?:is|are|gets?|becomes?) (?:completely |fully |totally )?(?:eliminated|removed|gone|fixed|resolved|overcome)\\b')], unless: [/\b(partial\w*|somewhat|to some extent|reduc\w*|mitigat\w*|less|still|may|might|can help|helps?)\b/] }],
    explanation:
      'The adversarial part keeps a GAN\'s training dynamics: the combination can ease mode collapse (the encoder ties samples to data) but does not remove training instability, which the question asks to name as what is not overcome.',
    reference: 'Larsen et al., "Autoencoding beyond pixels using a learned similarity metric" (2016), §5',
  },
  {
    id: 'q5-vae-sharp',
    items: ['5'],
    frames: [f('gen sharp => +')],
    all: [/\bvaes?\b('s)?(?! ?-? ?gan)[^.;]*?\b(sharp\w*|crisp\w*|high[- ](quality|fidelity|resolution))\b/],
    // Sharp samples from the combination (the adversarial loss) are right.
    // Sharp samples credited to the combination (the adversarial loss, the discriminator) are right.
    unless: [/\bblurr?\w*|\b(not|less) sharp|\bcombin\w*|\b(compared (to|with)|than|unlike|over) (a |an |the )?(plain |vanilla |standard |regular )?vaes?\b|\bvae-?gan\b|\bgan (part|component|loss|objective|side|discriminator)\b[^.;]{0,40}\b(sharp|crisp|quality)|\b(sharp|crisp)\w*[^.;]{0,40}\b(thanks to|due to|because of|from|by) (the )?(gan|adversarial|discriminator|combin)|\badversarial (loss|term|objective|training)\b[^.;]{0,40}\b(sharp|crisp)|\bvae-?gan\b[^.;]{0,30}\b(sharp|crisp)/],
    or: [{ all: [/\bgans?('s)?\b( \w+){0,3} (are|is|look|looks|produce\w*|generat\w*|give\w*|output\w*|tend to be|suffer from)\b[^.;]{0,25}\bblurr?\w*/] }, { all: [/\b(reconstruction|mse|l2|pixel[- ]?wise|vae('s)? (objective|loss))\b[^.;]*\b(gives?|produc\w*|generat\w*|yields?|leads? to|results? in|already)\b[^.;]*\b(sharp\w*|crisp\w*|fine details|high[- ](quality|fidelity))\b/], unless: [/\bblurr?\w*|\b(not|less) sharp/] }],
    explanation:
      'A VAE\'s samples tend to be blurry (its pixel-wise reconstruction loss averages over plausible outputs); sharp samples are the GAN\'s strength, and the reason to add an adversarial loss.',
    reference: 'Larsen et al., "Autoencoding beyond pixels using a learned similarity metric" (2016), §1',
  },
  {
    id: 'q7-dropout-scale-by-p',
    items: ['7'],
    frames: [f('scale byp ~keepside => +')],
    all: [/\b(multipl\w*|scal\w*)\b[^.]*\b(by|with)\s+(the\s+)?(dropout\s+(rate|probability|ratio)|drop(ping)?\s+(rate|probability)|probability\s+of\s+(dropping|dropout)|p)\b/],
    unless: [/1\s*[-−–]\s*p\b|\(1\s*[-−–]|\bkeep(ing)? (prob\w*|rate|ratio)\b|\bprob\w* of keeping\b|\bretain\w*\b|\bsurviv\w*\b|1\s*[-−–]\s*(the\s+)?dropout|\bwhere p is the (keep|retain)/],
    // "At test time: output * p."
    or: [{ all: [/\b(out|output|outputs|y|a|h)\w*\s*=\s*p\s*[*·×]\s*\w+|\b(out|output|y|a)\w*\s*=\s*\w+\s*[*·×]\s*p\b(?!\s*[-−)])/, p('{infer}|\\btest\\b')], unless: [/1\s*[-−–]\s*p\b|\(1\s*[-−–]|\bkeep(ing)? prob\w*|\bwhere p is the (keep|retain)/] }, { all: [/\b(outputs?|activations?|weights?|neurons?)\s*(\*|×|·|\\cdot)\s*p\b(?!\s*[-−)])/, p('{infer}')], anchor: 0, unless: [/1\s*[-−–]\s*p\b|\(1\s*[-−–]|\bkeep(ing)?\b|\bretain\w*\b|\bsurviv\w*\b/] }],
    explanation:
      'Classic dropout scales by the keep probability 1 − p at inference (the expected fraction of units that were on in training), not by the dropout rate p; with inverted dropout (PyTorch\'s nn.Dropout) the 1/(1 − p) scaling happens during training and inference needs none.',
    reference: 'Srivastava et al., "Dropout" (JMLR 2014), §4 (p there is the retention probability); PyTorch nn.Dropout documentation',
  },
  {
    id: 'q7-inverted-scale-inference',
    items: ['7'],
    frames: [f('inverted@ rescale^train infer@ ~classic => +')],
    all: [/\binverted dropout\b|\bdropout\b[^.;]{0,20}\binverted\b/, p('{infer}'), /\b(multipl\w*|scal\w*|divid\w*)\b[^.;]*?\b(by|with)\b/],
    anchor: 2,
    unless: [/\b(during|in|at) training\b|\btraining time\b|\bno (scaling|need)\b|\bnot (needed|necessary|required)\b|\bnothing\b|\bunchanged\b|\bas is\b|\b(classic|standard|vanilla|original|regular|non-inverted) dropout\b|\b(classic|classical|non)\b[^.;]{0,20}\binverted\b|\bnot inverted\b/],
    or: [{ all: [/\binverted dropout\b/, p('(?:model\\.)?{infer}(?:\\(\\))?(?: time| phase| mode)?…\\b(?:have|has|need|needs|must|should) (?:to )?be (?:re)?scal\\w*|\\b(?:have|has|need|needs|must|should) (?:to )?be (?:re)?scal\\w*…{infer}')], unless: [/\bno (scaling|need)\b|\bnot (needed|necessary|required)\b|\bnothing\b/] }, { all: [/\binverted dropout\b/, p('\\b(?:also|again|still|as well)\\b…\\b(?:scal\\w*|multipl\\w*|divid\\w*|rescal\\w*)\\b…\\b(?:at|during|in) (?:the )?{infer}|\\b(?:still|also) (?:have|has|need|needs) to be (?:re)?scal\\w*…{infer}')], unless: [/\bno (scaling|need)\b|\bnot (needed|necessary|required)\b|\bnothing\b/] }, { all: [/\binverted dropout\b/, p('\\b(?:at|during|in) (?:the )?{infer}(?: time| phase| mode)?\\b…\\b(?:also|again|still|too|as well)\\b…\\b(?:scal\\w*|multipl\\w*|divid\\w*|rescal\\w*)\\b|\\b(?:rescal\\w*|scal\\w*|multipl\\w*) (?:\\w+ ){0,3}again\\b…{infer}|{infer}…\\b(?:rescal\\w*|scal\\w*|multipl\\w*) (?:\\w+ ){0,3}again\\b')], unless: [/\bno (scaling|need)\b|\bnot (needed|necessary|required)\b|\bnothing\b/] }],
    explanation:
      'Inverted dropout (PyTorch\'s nn.Dropout) divides the kept activations by 1 − p during training, so at inference the layer is the identity: scaling at inference as well would shrink the activations.',
    reference: 'PyTorch nn.Dropout documentation ("outputs are scaled by a factor of 1/(1−p) during training")',
  },
  {
    id: 'q7-dropout-at-inference',
    items: ['7'],
    frames: [f('dropping^quantity infer@ ~onlytrain => + near')],
    all: [
      p(
        '{infer}(?: time| phase| mode)?\\s*[:,-]\\s*dropout (?:is |remains |stays )?(?:still )?(?:on|active|applied|enabled|used)\\b|\\b(?:at|during|in) (?:the )?{infer}(?: time| phase| mode)?‥\\b(?:dropout(?: layers?)? (?:is|are|remains?|stays?) (?:still )?(?:applied|active|on|enabled|used|kept)|{unit} (?:are|is|get) still (?:randomly )?(?:dropped|zeroed|deactivated|turned off|switched off)|still (?:randomly )?(?:drop|zero)\\w*|dropout (?:continues|keeps|goes on) (?:to )?(?:randomly )?(?:drop|zero|deactivat|switch)\\w*)|\\b(?:dropout(?: layers?)? (?:is|are|remains?|stays?) (?:still |also )?(?:applied|active|enabled|used|on)|{unit} (?:are|is|get) still (?:randomly )?(?:dropped|zeroed))‥\\b(?:at|during|in) (?:the )?{infer}',
      ),
    ],
    unless: [/\bmonte[- ]carlo\b|\bmc[- ]dropout\b|\buncertaint\w*|\bonly (during|in|at) training\b/],
    or: [{ all: [p('\\b(?:at|during|in) (?:the )?(?:model\\.)?{infer}(?:\\(\\))?(?: time| phase| mode)?‥\\bstill (?:randomly )?(?:drop|zero|deactivat|switch)\\w*')], unless: [/\bmonte[- ]carlo\b|\bmc[- ]dropout\b|\buncertaint\w*/] }, { all: [p('\\b(?:continu\\w*|keeps?|goes on) (?:to )?(?:randomly )?(?:drop|zero|deactivat|switch)\\w*…{infer}|{infer}…\\b(?:continu\\w*|keeps?|goes on) (?:to )?(?:randomly )?(?:drop|zero|deactivat|switch)\\w*')], unless: [/\bmonte[- ]carlo\b|\bmc[- ]dropout\b|\buncertaint\w*/] }],
    explanation:
      'At inference dropout is switched off (model.eval()): every unit is used, deterministically; dropping units at random at test time makes predictions noisy (Monte-Carlo dropout does it on purpose, to estimate uncertainty).',
    reference: 'Srivastava et al., "Dropout" (JMLR 2014), §1; PyTorch nn.Module.eval()',
  },
  {
    id: 'q7-dropout-gradient-active',
    items: ['7'],
    frames: [f('dropunit getgrad asif => +'), f('dropunit getgrad^zero => + near')],
    all: [
      p(
        '{grad} (?:are |is )?(?:propagated|passed|flowing|sent) (?:back )?to (?:all|every|each) (?:the )?{unit}|{grad} (?:of|for|w\\.r\\.t\\.?|with respect to) (?:the )?{dropped} {unit}…\\b(?:computed|calculated|flows?|propagated|obtained)\\b (?:normally|as usual|as (?:before|normal|always)|like (?:the )?(?:others|any other))|\\b(?:all|every|each) {unit}…\\b(?:get|gets|receive|receives|have|has)\\b…{grad}…\\bincluding (?:the )?{dropped}|{grad}…\\b(?:also |still )?(?:flows?|propagat\\w*|pass\\w*|goes|go)\\b…\\bthrough (?:the )?{dropped}|{dropped} {unit}…\\b(?:still|also) (?:be )?(?:updated|receiv\\w*|get\\w*|contribut\\w*|trained|learn\\w*)|{backward}…\\b(?:as if|as though|treat\\w*|consider\\w*)\\b…{dropped}…\\b(?:active|present|there|kept|on)\\b',
      ),
    ],
    // "In the backward pass dropout has no effect": negative in form.
    or: [{ all: [p('{dropped} {unit} (?:receive|get)\\w* {grad}…\\blike (?:all )?(?:the )?others\\b|{backward}…\\bignores? the (?:dropout )?mask\\b')] }, { all: [p('{grad}…\\b(?:flows?|go|goes|propagat\\w*|pass\\w*)\\b (?:back )?to (?:all|every|each) (?:the )?{unit}…\\bincluding (?:the )?(?:zeroed|dropped|masked|deactivated)')] }, { all: [p('\\b(?:as if|as though)\\b (?:they|these|those|it|the \\w+|\\w+) (?:were|was|are|is|remained|remain|stayed|stay|had been|have been) (?:still )?(?:active|present|there|kept|on|not dropped|alive)\\b|{grad}…\\b(?:flows?|propagat\\w*|pass\\w*|goes|go)\\b…\\bthrough (?:the )?(?:\\w+ )?{unit} (?:that|which) (?:were|are|was|had been) (?:dropped|zeroed|deactivated)'), p('{backward}|\\bupdated\\b')] }, { negative: true, all: [p('\\bmask (?:is|was) not (?:applied|used)\\b…{backward}|{backward}…\\bmask (?:is|was) not (?:applied|used)\\b')] }, { negative: true, all: [p('{backward}…\\bdropout (?:has|plays) no (?:effect|impact|role|influence)|\\bdropout (?:has|plays) no (?:effect|impact|role|influence) (?:on|in|during) (?:the )?{backward}')] }],
    explanation:
      'A dropped unit\'s output is multiplied by 0, so the backward pass multiplies its gradient by the same mask: dropped units get zero gradient in that step (the weights they feed are not updated through them).',
    reference: 'Srivastava et al., "Dropout" (JMLR 2014), §5.1: backpropagation through the thinned network',
  },
  {
    id: 'q7-bn-inference-batch-stats',
    items: ['7'],
    frames: [f('batchstats^train infer@ => +')],
    all: [
      p('{infer}'),
      p('(?:current|mini-?batch|batch|test batch|input batch)\\W?s?\\s+(?:own\\s+)?(?:mean|means|statistics|variance|stats)\\b|{stats}…\\b(?:over|of|from|on|across) (?:the |each |every |this |that |its )?(?:(?:current|test|input|given|incoming|new|inference|evaluation|eval) )*(?:(?:mini-?)?batch|samples|inputs)\\b'),
    ],
    anchor: 1,
    // Statistics from training (running, stored) are the right ones; "the same as in training" is not them.
    unless: [/\b(running|moving|stored|population|recorded|accumulated|exponential|saved)\b|\bsync\w*|\bsynchroni[sz]\w*|\btraining (set |data )?(statistics|stats|means?|variances?)\b|\b(statistics|stats|means?|variances?) (of|from|collected during|computed during|computed on) (the )?training\b/],
    // "Batch statistics both in training and at inference."
    or: [
      {
        all: [/\bbatch (statistics|stats|means?|variances?)\b|\b(means?|variances?|statistics) of the (current )?batch\b/, /\b(both )?(in|during) (both )?training and (at |during |in )?(inference|test\w*|evaluation)\b|\b(in|during) both (phases|modes)\b|\b(both|always|also|still) (at|during|in) (inference|test\w*|evaluation)\b/],
        unless: [/\b(running|moving|stored|population|recorded|accumulated|exponential|saved)\b/],
      },
    ],
    explanation:
      'At inference BatchNorm does not use the batch\'s statistics: it normalises with the running mean and variance accumulated during training (model.eval() switches to them), so a prediction does not depend on the other samples in the batch.',
    reference: 'Ioffe & Szegedy, "Batch Normalization" (2015), §3.1; PyTorch BatchNorm (track_running_stats)',
  },
  {
    id: 'q7-bn-stats-constant',
    items: ['7'],
    frames: [f('stats constant ~running => +'), f('flowgrad stats ~running => -')],
    all: [p('{stats}…\\b(?:treated|considered|regarded|taken|seen|handled)\\b (?:as )?(?:constants?|fixed|given|non-?differentiable)|{stats}…(?:are|is) (?:constants?|fixed)\\b'), p('{backward}')],
    unless: [/\b(running|moving|momentum|buffers?|inference|eval\w*|test\w*)\b/],
    // "No gradient flows through the batch statistics": the same claim, negative in form.
    or: [
      { negative: true, all: [p('\\b(?:do|does|did) not differentiate (?:through )?(?:the )?{stats}')], unless: [/\b(running|moving|momentum|buffers?|inference|eval\w*|test\w*)\b/] },
      { all: [p('\\b(?:treat|consider|regard|take|handle|see)\\w*\\b (?:the )?{stats}…\\bas (?:constants?|fixed|given|non-?differentiable)'), p('{backward}')], unless: [/\b(running|moving|momentum|buffers?|inference|eval\w*|test\w*)\b/] },
      { negative: true, all: [p('{stats}…\\b(?:are|is) not (?:differentiated|back-?propagated|part of the (?:graph|backward)|included in the (?:graph|gradient))|{stats}…\\b(?:do|does) not depend on (?:the )?(?:inputs?|x|samples?)\\b')], unless: [/\b(running|moving|momentum|buffers?|inference|eval\w*|test\w*)\b/] },
      {
        negative: true,
        all: [p('{grad} (?:does not|doesn\'t|do not|don\'t|is not|isn\'t|are not|aren\'t|won\'t|will not) (?:be |being )?(?:pass|flow|propagat|go|back-?propagat)\\w*…\\bthrough (?:the )?{stats}|\\bno {grad}(?: (?:flows?|propagat\\w*|pass\\w*|goes|is (?:computed|propagated|passed)))?…\\bthrough (?:the )?{stats}|{stats}…\\b(?:do not|don\'t|does not|doesn\'t) (?:need|require|receive|get|have) (?:a |any )?{grad}')],
        unless: [/\b(running|moving|momentum|buffers?|inference|eval\w*|test\w*)\b/],
      },
    ],
    explanation:
      'In training the batch mean and variance are functions of the batch\'s inputs, and BatchNorm\'s backward pass goes through them: each input\'s gradient has terms through μ_B and σ²_B (and so depends on the other samples). Treating them as constants gives a different, wrong gradient.',
    reference: 'Ioffe & Szegedy, "Batch Normalization" (2015), §3: the chain rule through μ_B and σ²_B',
  },
  {
    id: 'q7-no-grad-switches-mode',
    items: ['7'],
    frames: [f('nograd@ modes => + near'), f('nograd@ layers! => - near')],
    all: [
      p(
        '\\bno[_ ]?grad\\b…\\b(?:turns? off|turning off|disabl\\w*|deactivat\\w*|switch\\w* off|stops?|puts?|sets?)\\b…\\b(?:dropout|batch ?norm\\w*|bn|eval\\w* mode|inference mode|running (?:mean|averages?|statistics))|\\b(?:dropout|batch ?norm\\w*)\\b…\\b(?:is |are )?(?:turned off|disabled|deactivated|switched off|inactive|put in(?:to)? (?:inference|eval\\w*) mode)\\b…\\b(?:by|with|under|inside|using|in) (?:a |the )?(?:torch\\.)?no[_ ]?grad',
      ),
    ],
    // Beside model.eval(), no_grad's own job (no graph) is meant; "no need to call model.eval()" is the claim itself.
    unless: [/(?<!\bno need (?:to (?:call |use )?)?(?:for )?(?:model\.)?|\binstead of (?:calling )?(?:model\.)?)\beval\(\)|\btrain\(\)/],
    or: [{ all: [p('\\bno[_ ]?grad\\b…\\b(?:puts?|sets?|switch\\w*|brings?) (?:the )?(?:model|network|layers?|dropout|batch ?norm\\w*|bn)(?: and (?:the )?(?:dropout|batch ?norm\\w*|bn))? (?:in|into|to) (?:their |its |the )?(?:eval\\w*|inference|test) (?:mode|behaviou?r)')], unless: [/(?<!\bno need (?:to (?:call |use )?)?(?:for )?(?:model\.)?|\binstead of (?:calling )?(?:model\.)?)\beval\(\)(?![^.;]*\b(is not|isn't) needed)|\btrain\(\)/] }, { all: [p('\\bno[_ ]?grad\\b…\\b(?:dropout|bn|batch ?norm\\w*)\\b (?:is|are|gets?) (?:off|disabled|turned off|switched off|inactive|deactivated)\\b|\\bno[_ ]?grad\\b…\\b(?:bn|batch ?norm\\w*)\\b (?:uses?|switch\\w* to) (?:the )?running')], unless: [/(?<!\bno need (?:to (?:call |use )?)?(?:for )?(?:model\.)?|\binstead of (?:calling )?(?:model\.)?)\beval\(\)|\btrain\(\)/] }, { all: [p('\\bno[_ ]?grad\\b…\\b(?:turns?|switch\\w*) (?:the )?(?:dropout|batch ?norm\\w*|bn)(?: layers?)? off\\b|\\bno[_ ]?grad\\b…\\b(?:puts?|sets?|switch\\w*) (?:the )?(?:model|network|layers?) (?:in|into|to) (?:eval\\w*|inference|test) (?:mode|behaviou?r)')], unless: [/(?<!\bno need (?:to (?:call |use )?)?(?:for )?(?:model\.)?|\binstead of (?:calling )?(?:model\.)?)\beval\(\)|\btrain\(\)/] }, { all: [p('\\b(?:switch|put|set|turn|change)\\w*\\b…\\b(?:dropout|batch ?norm\\w*|bn|layers?)\\b…\\b(?:inference|eval\\w*|test) (?:mode|behaviou?r)…\\b(?:with|using|by|wrap\\w*|call\\w*)\\b…\\bno[_ ]?grad|\\bno[_ ]?grad\\b…\\b(?:sets?|puts?|switch\\w*|turns?|changes?)\\b…\\b(?:layers?|dropout|batch ?norm\\w*|bn|model)\\b…\\b(?:eval\\w*|inference|test) (?:mode|behaviou?r)')], unless: [/\.?\beval\(\)|\btrain\(\)/] }],
    explanation:
      'torch.no_grad() only stops autograd from recording the graph; it does not change how layers behave: dropout still drops units and BatchNorm still normalises with (and updates) batch statistics until model.eval() switches them to inference mode.',
    reference: 'PyTorch documentation: torch.no_grad; nn.Module.eval ("has an effect only on certain modules, e.g. Dropout, BatchNorm")',
  },
  {
    id: 'q7-eval-disables-grad',
    items: ['7'],
    frames: [f('evalm@ gradcomp! => - near')],
    all: [
      p(
        '(?:\\.eval\\b|\\beval\\(\\)|\\beval(?:uation)? mode)…\\b(?:disabl\\w*|turns? off|stops?|prevents?|deactivat\\w*|switch\\w* off)\\b…\\b(?:gradients?|autograd|backprop\\w*)',
      ),
    ],
    unless: [/(?<!\bno need (?:for|of) (?:torch\.)?|\bwithout (?:torch\.)?|\bno need to (?:call|use) (?:torch\.)?)\bno[_ ]?grad\b|\binference[_ ]mode\b|\brequires[_ ]grad\b/],
    or: [{ negative: true, all: [p('(?:\\.eval\\b|\\beval\\(\\))…{grad} (?:are|is) not (?:tracked|computed|calculated|stored|recorded)\\b')], unless: [/(?<!\bno need (?:for|of) (?:torch\.)?|\bwithout (?:torch\.)?|\bno need to (?:call|use) (?:torch\.)?)\bno[_ ]?grad\b|\binference[_ ]mode\b|\brequires[_ ]grad\b/] }, { negative: true, all: [p('(?:\\.eval\\b|\\beval\\(\\))…\\b(?:autograd|pytorch|torch|it)\\b (?:does|do|will) not (?:build|record|track|compute|create)\\b…\\b(?:graph|gradients?)')], unless: [/(?<!\bno need (?:for|of) (?:torch\.)?|\bwithout (?:torch\.)?|\bno need to (?:call|use) (?:torch\.)?)\bno[_ ]?grad\b|\binference[_ ]mode\b|\brequires[_ ]grad\b/] }, { all: [p('(?:\\.eval\\b|\\beval\\(\\))…\\b(?:autograd|gradients?|gradient computation|the graph|graph)\\b (?:is|are) (?:disabled|turned off|stopped|switched off|not (?:computed|built|tracked|calculated|recorded))')], unless: [/(?<!\bno need (?:for|of) (?:torch\.)?|\bwithout (?:torch\.)?|\bno need to (?:call|use) (?:torch\.)?)\bno[_ ]?grad\b|\binference[_ ]mode\b|\brequires[_ ]grad\b/] }, { all: [p('(?:\\.eval\\b|\\beval\\(\\)|\\beval(?:uation)? mode)…\\b(?:stops?|turns? off|disabl\\w*|prevents?) (?:\\w+ )?(?:building|recording|tracking|creating|computing|calculating|the) (?:the )?(?:computational )?(?:graph|gradients?|gradient computation)|(?:\\.eval\\b|\\beval\\(\\))…\\b(?:gradients?|graph) (?:are|is) not (?:calculated|computed|built|tracked|recorded)')], unless: [/(?<!\bno need (?:for|of) (?:torch\.)?|\bwithout (?:torch\.)?|\bno need to (?:call|use) (?:torch\.)?)\bno[_ ]?grad\b|\binference[_ ]mode\b|\brequires[_ ]grad\b/] }, { negative: true, all: [/(\.eval\b|\beval\(\)|\beval(uation)? mode)[^.;]*?\bno gradients? (are |is )?(computed|tracked|calculated|stored|kept)/], unless: [/(?<!\bno need (?:for|of) (?:torch\.)?|\bwithout (?:torch\.)?|\bno need to (?:call|use) (?:torch\.)?)\bno[_ ]?grad\b|\binference[_ ]mode\b|\brequires[_ ]grad\b/] }],
    explanation:
      'model.eval() switches modules such as Dropout and BatchNorm to their inference behaviour; it does not turn off gradient computation — that is torch.no_grad() (or torch.inference_mode()), used together with eval() at test time.',
    reference: 'PyTorch documentation: nn.Module.eval and "Locally disabling gradient computation"',
  },
  {
    id: 'q7-same-dropout-mask',
    items: ['7'],
    frames: [f('same@ mask@^init &gpus => +')],
    all: [
      p('\\b(?:same|identical|shared|synchroni[sz]\\w*)\\s+(?:(?:dropout|random|bernoulli|binary)\\s+)*masks?\\b|\\b(?:drop|zero|deactivat|switch off)\\w* (?:the )?(?:same|identical) (?:neurons|units|activations|nodes)\\b|\\bsynchroni[sz]\\w*\\s+(?:the\\s+)?(?:dropout\\s+)?masks?\\b|\\bmasks?\\b…\\b(?:same|identical|shared|synchroni[sz]\\w*)\\b|\\b(?:broadcast\\w*|send\\w*|copy\\w*|distribut\\w*|shar\\w*|sync\\w*)\\b…\\b(?:dropout )?masks?\\b'),
      p('{gpus}'),
    ],
    unless: [/\bindependen\w*|\bdifferent\b|\bown (dropout |random )?(mask|seed)|\bseparate\b/],
    // "Dropout: use the same seed on every GPU" (the same seed draws the same masks).
    or: [{ all: [/\b(drop|zero|deactivat|switch off|turn off)\w* (exactly |precisely )?(the )?(same|identical) (neurons|units|activations|nodes|weights)\b/, p('{gpus}')], unless: [/\bindependen\w*|\bdifferent\b|\bown (mask|seed)|\bseparate\b/] }, 
      {
        all: [/\b(same|identical|shared|common|one|a single) (random )?seeds?\b/, p('{gpus}'), /\bdropout\b/],
        unless: [/\bdifferent\b|\bindependen\w*|\bown\b|\bper[- ](gpu|process|rank|device)\b|\brank\b|\boffset\b|\binitiali[sz]\w*|\binitial (weights|parameters)\b/],
      },
    ],
    explanation:
      'Each GPU processes different samples, and dropout should drop units independently per sample: masks must be independent across GPUs (each process samples its own, e.g. from a different seed). Nothing needs to be shared for dropout; the same mask everywhere correlates the noise across the batch.',
    reference: 'dropout draws an independent Bernoulli mask per unit and per example (Srivastava et al. 2014, §4)',
  },
];

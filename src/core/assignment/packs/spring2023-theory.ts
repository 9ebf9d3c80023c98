import type { AssignmentPack } from '../types';
import { boundPatterns } from '../bounded';
import { MISCONCEPTIONS, RUBRIC } from './spring2023-catalogue';

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

export const spring2023Theory: AssignmentPack = boundPatterns<AssignmentPack>({
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
          aspects: [{ kind: 'exercise', weight: 1, what: 'the code' }],
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
          aspects: [{ kind: 'count', weight: 0.3, what: 'the node count' }, { kind: 'prose', weight: 0.7, what: 'the drawing of the graph' }],
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
          aspects: [{ kind: 'training', weight: 0.75, what: 'the training loop' }, { kind: 'prose', weight: 0.25, what: 'the explanation of what to modify' }],
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
          aspects: [{ kind: 'differentiation', weight: 0.7, what: 'the forward pass and the derivatives (forward and reverse mode)' }, { kind: 'prose', weight: 0.3, what: 'the drawing of the graph and the explanations', unjudged: 1 }],
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
          aspects: [{ kind: 'formula', weight: 0.1, what: 'the formulas for β̃_t and μ̃' }, { kind: 'prose', weight: 0.9, what: 'the derivation', unjudged: 1 }],
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
  rubric: RUBRIC,
  misconceptions: MISCONCEPTIONS,
  // The node count of Q1.3's graph: stated in 1.3.2's answer, sometimes also in a comment of the 1.3.1 code.
  nodeCounts: [{ item: '1.3.2', items: ['1.3.1', '1.3.2'] }],
  // What grows with soft labels (1.3.3), said with a factor; the hard-label loss is 1.3.1's code.
  softLabelClaims: [{ item: '1.3.3', codeIn: '1.3.1', logitsEntry: 'q1.3-soft-logits-grow' }],
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
});

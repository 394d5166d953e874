"""The autograd code cells of the five teaching tutorials, copied verbatim.

Each tutorial is a notebook whose cells share state, so tests run a cell after
the cells before it (:func:`program`). Tutorial 3 lost its line breaks when it
was published as a web page: its blocks are kept verbatim (they must give a
clean syntax error) next to ``T3_RESTORED``, the same code with its lines back.
"""

# ruff: noqa: E501 - the cells are kept verbatim, long lines included

from __future__ import annotations

CELLS: dict[str, str] = {
    "t0_cell0": 'import torch\n\nprint("torch.__version__=" + torch.__version__)\n',
    "t0_cell1": "import torch  # 导入PyTorch库\n\n# 定义函数 f(x) = a*x**2 + b*x + c 的参数\nx = torch.tensor(0.0, requires_grad=True)  # 创建一个张量 x，初始值为 0.0，需要计算梯度\na = torch.tensor(1.0)  # 定义参数 a，这里取值为 1.0\nb = torch.tensor(-2.0)  # 定义参数 b，这里取值为 -2.0\nc = torch.tensor(1.0)  # 定义参数 c，这里取值为 1.0\n\n# 计算函数值 f(x) = a*x**2 + b*x + c\ny = a * torch.pow(x, 2) + b * x + c\n\n# 使用反向传播计算导数\ny.backward()  # 使用backward()方法计算 y 对 x 的导数\n\n# 提取导数值\ndy_dx = x.grad  # x.grad 包含了在 x = 0 处的导数值\n\n# 打印导数值\nprint(dy_dx)  # 打印导数值，即 f'(0) 的值\n",
    "t0_cell2": 'import torch  # 导入PyTorch库\n\n# 定义函数 f(x) = a*x**2 + b*x + c 的参数\nx = torch.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)  # 创建一个多维张量 x，初始值为二维数组，需要计算梯度\na = torch.tensor(1.0)  # 定义参数 a，这里取值为 1.0\nb = torch.tensor(-2.0)  # 定义参数 b，这里取值为 -2.0\nc = torch.tensor(1.0)  # 定义参数 c，这里取值为 1.0\n\n# 计算函数值 f(x) = a*x**2 + b*x + c\ny = a * torch.pow(x, 2) + b * x + c\n\n# 定义梯度（导数）的权重，这里使用与 y 同维度的张量来指定每个分量的权重\ngradient = torch.tensor([[1.0, 1.0], [1.0, 1.0]])\n\n# 打印输入 x 和计算得到的输出 y\nprint("x:\\n", x)\nprint("y:\\n", y)\n\n# 使用反向传播计算导数，并且使用指定的梯度权重\ny.backward(gradient=gradient)\n\n# 提取 x 关于 y 的梯度值\nx_grad = x.grad\n\n# 打印计算得到的梯度值\nprint("x_grad:\\n", x_grad)\n',
    "t0_cell3": 'import torch  # 导入PyTorch库\n\n# 定义函数 f(x) = a*x**2 + b*x + c 的参数\nx = torch.tensor([[0.0, 0.0], [1.0, 2.0]], requires_grad=True)  # 创建一个多维张量 x，初始值为二维数组，需要计算梯度\na = torch.tensor(1.0)  # 定义参数 a，这里取值为 1.0\nb = torch.tensor(-2.0)  # 定义参数 b，这里取值为 -2.0\nc = torch.tensor(1.0)  # 定义参数 c，这里取值为 1.0\n\n# 计算函数值 f(x) = a*x**2 + b*x + c\ny = a * torch.pow(x, 2) + b * x + c\n\n# 定义梯度（导数）的权重，这里使用与 y 同维度的张量来指定每个分量的权重\ngradient = torch.tensor([[1.0, 1.0], [1.0, 1.0]])\n\n# 计算标量 z = Σ(y * gradient)\nz = torch.sum(y * gradient)\n\n# 打印输入 x 和计算得到的输出 y\nprint("x:", x)\nprint("y:", y)\n\n# 使用反向传播计算导数\nz.backward()\n\n# 提取 x 关于 z 的梯度值\nx_grad = x.grad\n\n# 打印计算得到的梯度值\nprint("x_grad:\\n", x_grad)\n',
    "t0_cell4": 'import torch  # 导入PyTorch库\n\n# 定义函数 f(x) = a*x**2 + b*x + c 的参数\nx = torch.tensor(0.0, requires_grad=True)  # 创建一个张量 x，初始值为 0.0，需要计算梯度\na = torch.tensor(1.0)  # 定义参数 a，这里取值为 1.0\nb = torch.tensor(-2.0)  # 定义参数 b，这里取值为 -2.0\nc = torch.tensor(1.0)  # 定义参数 c，这里取值为 1.0\n\n# 计算函数值 f(x) = a*x**2 + b*x + c\ny = a * torch.pow(x, 2) + b * x + c\n\n# 使用 torch.autograd.grad 计算一阶导数，并设置 create_graph=True 以允许创建更高阶的导数\ndy_dx = torch.autograd.grad(y, x, create_graph=True)[0]\n\n# 打印一阶导数\nprint("一阶导数 (dy/dx) 在 x=0 处的值：", dy_dx.data)\n\n# 使用 torch.autograd.grad 计算二阶导数\ndy2_dx2 = torch.autograd.grad(dy_dx, x)[0]\n\n# 打印二阶导数\nprint("二阶导数 (d²y/dx²) 在 x=0 处的值：", dy2_dx2.data)\n',
    "t0_cell5": 'import torch  # 导入PyTorch库\n\n# 定义两个自变量 x1 和 x2，需要计算它们的梯度\nx1 = torch.tensor(1.0, requires_grad=True)  # 创建一个张量 x1，初始值为 1.0，需要计算梯度\nx2 = torch.tensor(2.0, requires_grad=True)  # 创建一个张量 x2，初始值为 2.0，需要计算梯度\n\n# 定义两个因变量 y1 和 y2\ny1 = x1 * x2\ny2 = x1 + x2\n\n# 使用 torch.autograd.grad 计算多个因变量关于多个自变量的导数\n\n# 计算 y1 对 x1 和 x2 的导数\n(dy1_dx1, dy1_dx2) = torch.autograd.grad(outputs=y1, inputs=[x1, x2], retain_graph=True)\nprint("y1 对 x1 的导数:", dy1_dx1.item())\nprint("y1 对 x2 的导数:", dy1_dx2.item())\n\n# 计算 y1 和 y2 对 x1 和 x2 的导数，并且将它们的梯度结果相加\n(dy12_dx1, dy12_dx2) = torch.autograd.grad(outputs=[y1, y2], inputs=[x1, x2])\nprint("y1 和 y2 对 x1 的导数:", dy12_dx1)\nprint("y1 和 y2 对 x2 的导数:", dy12_dx2)\n',
    "t0_cell6": 'import torch  # 导入PyTorch库\n\n# 定义函数 f(x) = a*x**2 + b*x + c 的参数\nx = torch.tensor(0.0, requires_grad=True)  # 创建一个张量 x，初始值为 0.0，需要计算梯度\na = torch.tensor(1.0)  # 定义参数 a，这里取值为 1.0\nb = torch.tensor(-2.0)  # 定义参数 b，这里取值为 -2.0\nc = torch.tensor(1.0)  # 定义参数 c，这里取值为 1.0\n\n# 创建一个优化器，使用随机梯度下降（SGD）来优化变量 x，学习率为 0.01\noptimizer = torch.optim.SGD(params=[x], lr=0.01)\n\n\n# 定义函数 f(x)\ndef f(x):\n    result = a * torch.pow(x, 2) + b * x + c\n    return result\n\n\n# 使用梯度下降法迭代寻找最小值\nfor i in range(500):\n    optimizer.zero_grad()  # 清零梯度，每次迭代前都要清零\n    y = f(x)  # 计算函数值\n    y.backward()  # 计算梯度\n    optimizer.step()  # 更新 x，使用优化器进行一步梯度下降\n\n# 打印找到的最小值和对应的 x 值\nprint("最小值 y =", f(x).data.item(), "; 对应的 x =", x.data.item())\n',
    "t1_cell0": "# 自动求导计算一个函数在指定值上的导数\n# 计算图：将代码分解成操作子，将计算表示成一个无环图\n# 自动求导的两种模式：\n# ①正向累积：需要存储正向的所有结果，内存复杂度O(n)；②反向传播，又称反向传递，内存复杂度O(1)，后者更常用\nimport torch\n\n'''求梯度就是求导数'''\n",
    "t1_cell1": "# 假设我们想对函数y = 2 * xT * x求关于列向量x求导\nx = torch.arange(4.0)\nx\n",
    "t1_cell2": "# 在我们计算y关于的梯度之前，我们需要一个地方来存储梯度\nx.requires_grad_(True)  # 等价于x = torch.arange(4.0, requires_grad=True)\n# 这意味着在后续的计算中，PyTorch 将会跟踪所有对 x 的操作，以便在反向传播时自动计算梯度\n# 在计算梯度之前，x.grad 默认是 None，在反向传播计算梯度之后，x.grad 将会存储 x 的梯度\n",
    "t1_cell3": "# 现在让我们计算y(x和x内积乘以2), z(2y), h(z的平方)\ny = 2 * torch.dot(x, x)\ny.retain_grad()  # 保留y的梯度\nz = 2 * y\nz.retain_grad()  # 保留z的梯度\nh = z ** 2\ny, z, h\n",
    "t1_cell4": "# 调用反向传播函数\nh.backward()  # 求导\nz.grad, y.grad, x.grad  # 求完之后就可以通过_.grad来访问导数了\n# z.grad 中，dh/dz = 2 * z, 而z = 2y = 56, 所以z.grad = 2 * 56 = 112\n# y.grad 中，dz/dy = 2, 所以y.grad = z.grad * dz/dy = 112 * 2 = 224\n# x.grad 中，dy/dx = 4x, 所以x.grad = y.grad * dy/dx = 224 * 4x = [0, 896, 1792, 2688]\n",
    "t1_cell5": "z.grad == 2 * z, y.grad == z.grad * 2, x.grad == y.grad * 4 * x\n",
    "t1_cell6": "# 在默认情况下，PyTorch 会累积梯度，我们需要清除之前的值\nx.grad.zero_()\ny = x.sum()\ny.backward()\nx.grad\n",
    "t1_cell7": "# 对非标量调用`backward`需要传入一个`gradient`参数，该参数指定微分函数关于`self`的梯度。\n# 在我们的例子中，我们只想求导数的和，所以传递一个1的梯度是合适的\nx.grad.zero_()\ny = x * x * x\n# 等价于y.backward(torch.ones(len(x)))\ny.sum().backward()  # 这里y.sum()是标量, 此时y.sum() = x0^3 + x1^3 + x2^3 + x3^3, 所以y.sum().backward() = dy/dx = [3x0^2, 3x1^2, 3x2^2, 3x3^2]\nx, x * x, x.grad\n# 深度学习中一般对损失函数求导，而损失函数是标量，所以一般都是对标量调用backward\n",
    "t1_cell8": "# 将某些计算移动到记录的计算图之外\nx.grad.zero_()\ny = x * x\nu = y.detach()  # 将y的计算结果当成一个常数，赋值给u，此时u不再是关于x的函数，而是一个常数, u = [0, 1, 4, 9]\nz = u * x \nz.sum().backward()  # dz/dx = u = [0, 1, 4, 9]\nx.grad == u\n",
    "t1_cell9": "# 作个简单对比\nx.grad.zero_()\ny = x * x\ny.sum().backward()  # dy/dx = 2x\nx.grad == 2 * x\n",
    "t1_cell10": "# 即使构建函数的计算图需要通过 Python 控制流（如条件、循环或任意函数调用），我们仍然可以计算得到的变量的梯度\ndef f(a):\n    b = a * 2\n    while b.norm() < 1000:\n        b = b * 2\n    if b.sum() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c\na = torch.randn(size=(), requires_grad=True)\nd = f(a)\nd.backward()\na, a.grad == d / a\n# 在函数 f 中，b 是通过不断乘以 2 得到的，直到其范数大于等于 1000。\n# 假设 a 是一个标量，经过若干次乘以 2 后，b 可以表示为 b = a * 2^n，其中 n 是使得 b.norm() >= 1000 的最小整数\n# 在c = b的情况下，d = f(a) = c = a * 2^n\n# 在c = 100 * b的情况下，d = f(a) = c = 100 * a * 2^n\n# 无论哪种情况，d = f(a) = c都是a的线性函数，所以df(a)/da = 2^n或者2^n * 100 = d / a\n",
    "t1_cell11": "# 再来看看中断梯度追踪\nx = torch.tensor(1.0, requires_grad=True)\ny1 = x ** 2 \nwith torch.no_grad():  # 上下文管理器，不追踪梯度，常用于测试集\n    y2 = x ** 3\ny3 = y1 + y2\n\nprint(x.requires_grad)\nprint(y1, y1.requires_grad) # True\nprint(y2, y2.requires_grad) # False\nprint(y3, y3.requires_grad) # True\n# 可以看到，上面的y2是没有grad_fn而且y2.requires_grad=False的，而y3是有grad_fn的，y3.requires_grad=True\n",
    "t1_cell12": "y3.backward()\nx.grad == 2 * x\n# 由于 y2 的定义是被torch.no_grad():包裹的，所以与 y2 有关的梯度是不会回传的，\n# 只有与 y1 有关的梯度才会回传，即 x^2 对 x 的梯度\n",
    "t1_cell13": "# 此外，如果我们想要修改tensor的数值，但是又不希望被autograd记录（即不会影响反向传播），那么我么可以对tensor.data进行操作\nx = torch.ones(1,requires_grad=True)\n\nprint(x.data) # 还是一个tensor\nprint(x.data.requires_grad) # 但是已经是独立于计算图之外\n\ny = 2 * x\nx.data *= 100 # 只改变了值，不会记录在计算图，所以不会影响梯度传播\n\ny.backward()\nprint(x) # 更改data的值也会影响tensor的值\nprint(x.grad)\n",
    "t2_cell0": "import torch\n",
    "t2_cell1": "x = torch.tensor([[1,2],\n                  [2,3]],dtype = float, requires_grad=True)\nprint(x)\ny = x**2\nprint(y)\n# y.backward()\n",
    "t2_cell2": "x = torch.tensor([[1,2],\n                  [2,3]],dtype = float, requires_grad=True)\nprint(x)\ny = x.mean()\nprint(y)\ny.backward()\nprint(x.grad)\n",
    "t2_cell3": "x = torch.ones(2, 2, requires_grad=True)\nprint(x)\n",
    "t2_cell4": "y = x + 2\nprint(y)\n",
    "t2_cell5": "print(y.grad_fn)\n",
    "t2_cell6": "z = y * y * 3\nout = z.mean()\n\nprint(z, out)\n",
    "t2_cell7": "out.backward()\nprint(x.grad)\n",
    "t2_cell8": "x = torch.tensor([[1,2],\n                  [2,3]],dtype = float, requires_grad=True)\ny = x + 2\nprint(y)\nz = y * y * 3\nout = z.mean()\n\nprint(z, out)\nout.backward()\nprint(x.grad)\n",
    "t2_cell9": "x = torch.tensor([[1,2],\n                  [2,3]], dtype = float, requires_grad=True)\nout = x.sum()\nprint(out)\nout.backward()\nx.grad\n",
    "t2_cell10": "x = torch.tensor(3.,requires_grad=True)\ny = torch.ones(2,2,requires_grad=True)\n\nt = x*x\nz = 2*t+2*y*y\nprint(z)\nz = z.mean() # z中所有元素的均值\nprint(z)\nz.backward()\n\nprint(x.grad)\nprint(y.grad)\n",
    "t2_cell11": "x = torch.tensor([[1,2],\n                  [2,3]],dtype = float,requires_grad=True)\ny = torch.ones(2,2,requires_grad=True)\n\nt = x*x\nz = 2*t+2*y*y\nprint('z:',z)\nz = z.mean() # z中所有元素的均值\nprint('z.mean:',z)\nz.backward()\n\nprint(x.grad)\nprint(y.grad)\n",
    "t3_block0": "x = torch.tensor(1.).requires_grad_() # 第一种 x = torch.tensor(1., requires_grad=True) # 第二种\n",
    "t3_block1": "import torch x=torch.tensor(1.,requires_grad=True)b=torch.tensor(2.,requires_grad=True)w=torch.tensor(3.,requires_grad=True)z=w*x+bz.backward()#反向传播print(x.grad)#x导数值print(w.grad)#w导数值print(b.grad)#b导数值\n",
    "t3_block2": "import torch x = torch.tensor(2.).requires_grad_()y = torch.tensor(3.).requires_grad_()z = x * x * yz.backward(create_graph=True) # x.grad = 12print(x.grad)x.grad.data.zero_() #PyTorch使用backward()时默认会累加梯度，需要手动把前一次的梯度清零x.grad.backward() #对x一次求导后为2xy，然后再次反向传播print(x.grad)\n",
    "t3_block3": "import torch # 创建一个多元函数，即Y=XW+b=Y=x1*w1+x2*w2*x3*w3+b，x不可求导，W,b设置可求导X = torch.tensor([1.5, 2.5, 3.5], requires_grad=False)W = torch.tensor([0.2, 0.4, 0.6], requires_grad=True)b = torch.tensor(0.1, requires_grad=True)Y = torch.add(torch.dot(X, W), b)  # 求导，通过backward函数来实现Y.backward() # 查看导数，也即所谓的梯度print(W.grad)print(b.grad)\n",
    "t3_block4": ' import torchimport numpy as npimport torch.nn as nnimport torch.optim as optim x_values=[i for i in range(11)]x_train=np.array(x_values,dtype=np.float32)x_train=x_train.reshape(-1,1)  y_values=[2*i +1 for i in x_values]y_values=np.array(y_values,dtype=np.float32)y_train=y_values.reshape(-1,1)  #这里线性回归就相当于不加激活函数的全连接层class LinearRegression(nn.Module):    def __init__(self):        super(LinearRegression, self).__init__()        self.linear = nn.Linear(1, 1)     def forward(self, x):        return self.linear(x)   #使用GPU训练device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu") # 创建模型实例和优化器model = LinearRegression()model.to(device)optimizer = optim.SGD(model.parameters(), lr=0.01) # 定义损失函数criterion = nn.MSELoss()for epoch in range(100):    # 创建数据集    inputs = torch.from_numpy(x_train).to(device)    targets = torch.from_numpy(y_train).to(device)    # 前向传播    outputs = model(inputs)    loss = criterion(outputs, targets)     # 反向传播和优化器更新    #梯度清零每一次迭代    optimizer.zero_grad()    #反向传播    loss.backward()    #更新权重参数    optimizer.step()    #每10轮，打印一下损失函数    if epoch%10==0:        print("epoch {}, loss {}".format(epoch,loss.item()))  #使用训练完的模型进行数据的预测predicted=model(torch.from_numpy(x_train).to(device))print(predicted)print(targets)\n',
    "t4_block0": "import torch\nx = torch.arange(4.0)# x = torch.arange(4.0,requires_grad=True)\nx.requires_grad_(True)#grad是梯度的意思，就是使其支持自动求梯度\n\ny= 2 * torch.dot(x,x)\n\ny.backward()#反向传播\n\nprint(x.grad)\nprint(x.grad==4*x)#因为y=2x^2所以∂y/∂x=4x 测试是否x.grad等于∂y/∂x=4x\n",
    "t4_block1": "# 对非标量调用backward需要传入一个gradient参数\nx=torch.tensor([0.0,2.0,8.0])\nx.requires_grad_(True)\n\ny=torch.tensor([5.0,1.0,7.0])\ny.requires_grad_(True)\n\nz = y * x\n\n# print(z)\n\nz.backward(gradient=torch.ones(len(x)))# 等价于z.sum().backward()吗？\n\nx.grad\n",
    "t4_block2": "x=torch.arange(4.0)\nx.requires_grad_(True)\n\ny = x * x\nu = y.detach()\n\nz = u * x\nz= z.sum() #使其变成一个标量\n\nz.backward()\n\nx.grad == u\n",
    "t4_block3": "x.grad.zero_()#清除原先的梯度\n\n#y.sum().backward()\ny=y.sum()#使其成为一个标量\n\ny.backward()#反向传播\n\nx.grad == 2 * x\n",
    "t4_block4": "def f(x):\n    x_ = 2 * x\n    while x_.norm() < 1000:\n        x_ = x_ * 2\n\n    if x_.sum() > 0:\n        y = x_\n    else:\n        y = 100 * x_\n    # 不管怎样y=kx,所以dy/dx=k\n    return y\n",
    "t4_block5": "a = torch.randn(size=(), requires_grad=True)\ny = f(a)\ny.backward()\n",
    "t4_block6": "a.grad == y / a\n",
    "t4_block7": "def f(x):\n    x_ = 2 * x\n    while x_.norm() < 1000:\n        x_ = x_ * 2\n\n    if x_.sum() > 0:\n        y = x_\n    else:\n        y = 100 * x_\n    # 不管怎样y=f(x)=kx,所以dy/dx=k\n    return y\n\na = torch.randn(size=[5,4], requires_grad=True)\nprint(a)\n\ny = f(a)\n# y.backward()\n# y.sum().backward()\ny.backward(gradient=torch.ones(size=a.shape))\n\na.grad == y / a\n",
    "t4_block9": "import torch\ndef f(x):#f(x)=\\sin(x)\n    \n    return torch.sin(x)\n\ndef f_(x):#f'(x)=dy/dx\n    x=x.clone().detach().requires_grad_(True)\n    x.requires_grad_(True)\n\n    y=f(x)\n    y.backward(gradient=torch.ones(size=x.shape))\n\n    return x.grad\n",
    "t4_block10": "x = torch.arange(0, 3, 0.1)\n\nprint(f(x))\nprint(f_(x))\n",
}

#: Tutorial 3's blocks with their line breaks restored (same code, same comments).
T3_RESTORED: dict[str, str] = {
    "t3_block1": (
        "import torch\n"
        "x=torch.tensor(1.,requires_grad=True)\n"
        "b=torch.tensor(2.,requires_grad=True)\n"
        "w=torch.tensor(3.,requires_grad=True)\n"
        "z=w*x+b\n"
        "z.backward()#反向传播\n"
        "print(x.grad)#x导数值\n"
        "print(w.grad)#w导数值\n"
        "print(b.grad)#b导数值\n"
    ),
    "t3_block2": (
        "import torch\n"
        "x = torch.tensor(2.).requires_grad_()\n"
        "y = torch.tensor(3.).requires_grad_()\n"
        "z = x * x * y\n"
        "z.backward(create_graph=True) # x.grad = 12\n"
        "print(x.grad)\n"
        "x.grad.data.zero_() #PyTorch使用backward()时默认会累加梯度，需要手动把前一次的梯度清零\n"
        "x.grad.backward() #对x一次求导后为2xy，然后再次反向传播\n"
        "print(x.grad)\n"
    ),
    "t3_block3": (
        "import torch\n"
        "# 创建一个多元函数，即Y=XW+b=Y=x1*w1+x2*w2*x3*w3+b，x不可求导，W,b设置可求导\n"
        "X = torch.tensor([1.5, 2.5, 3.5], requires_grad=False)\n"
        "W = torch.tensor([0.2, 0.4, 0.6], requires_grad=True)\n"
        "b = torch.tensor(0.1, requires_grad=True)\n"
        "Y = torch.add(torch.dot(X, W), b)\n"
        "# 求导，通过backward函数来实现\n"
        "Y.backward()\n"
        "# 查看导数，也即所谓的梯度\n"
        "print(W.grad)\n"
        "print(b.grad)\n"
    ),
}

#: Tutorial 003's regression cell with its line breaks restored and a seed added:
#: numpy data, an nn.Module class, torch.device/cuda.is_available, torch.from_numpy.
T3_REGRESSION_RESTORED = """\
import torch
torch.manual_seed(0)
import numpy as np
import torch.nn as nn
import torch.optim as optim

x_values=[i for i in range(11)]
x_train=np.array(x_values,dtype=np.float32)
x_train=x_train.reshape(-1,1)

y_values=[2*i +1 for i in x_values]
y_values=np.array(y_values,dtype=np.float32)
y_train=y_values.reshape(-1,1)

#这里线性回归就相当于不加激活函数的全连接层
class LinearRegression(nn.Module):
    def __init__(self):
        super(LinearRegression, self).__init__()
        self.linear = nn.Linear(1, 1)

    def forward(self, x):
        return self.linear(x)


#使用GPU训练
device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")

# 创建模型实例和优化器
model = LinearRegression()
model.to(device)
optimizer = optim.SGD(model.parameters(), lr=0.01)

# 定义损失函数
criterion = nn.MSELoss()
for epoch in range(100):
    # 创建数据集
    inputs = torch.from_numpy(x_train).to(device)
    targets = torch.from_numpy(y_train).to(device)

    # 前向传播
    outputs = model(inputs)
    loss = criterion(outputs, targets)

    # 反向传播和优化器更新
    #梯度清零每一次迭代
    optimizer.zero_grad()
    #反向传播
    loss.backward()
    #更新权重参数
    optimizer.step()
    #每10轮，打印一下损失函数
    if epoch%10==0:
        print("epoch {}, loss {}".format(epoch,loss.item()))

#使用训练完的模型进行数据的预测
predicted=model(torch.from_numpy(x_train).to(device))
print(predicted)
print(targets)
"""

#: The same training written with torch only: it must run.
T3_REGRESSION_TORCH = """\
import torch
import torch.nn as nn
import torch.optim as optim

x_values=[i for i in range(11)]
x_train=torch.tensor(x_values,dtype=torch.float32)
x_train=x_train.reshape(-1,1)

y_values=[2*i +1 for i in x_values]
y_values=torch.tensor(y_values,dtype=torch.float32)
y_train=y_values.reshape(-1,1)

#这里线性回归就相当于不加激活函数的全连接层
model = nn.Linear(1, 1)
optimizer = optim.SGD(model.parameters(), lr=0.01)
# 定义损失函数
criterion = nn.MSELoss()
for epoch in range(100):
    inputs = x_train
    targets = y_train
    # 前向传播
    outputs = model(inputs)
    loss = criterion(outputs, targets)
    #梯度清零每一次迭代
    optimizer.zero_grad()
    #反向传播
    loss.backward()
    #更新权重参数
    optimizer.step()
    #每10轮，打印一下损失函数
    if epoch%10==0:
        print("epoch {}, loss {}".format(epoch,loss.item()))
#使用训练完的模型进行数据的预测
predicted=model(x_train)
print(predicted)
print(targets)
"""

#: Cells of tutorials 1, 2 and 4 share state, like the notebook they come from.
NOTEBOOKS = ("t1_", "t2_", "t4_")


def program(key: str) -> str:
    """The text to run for cell ``key``: earlier cells of its notebook, then the cell."""
    prefix = next((p for p in NOTEBOOKS if key.startswith(p)), None)
    if prefix is None:
        return CELLS[key]
    keys = [k for k in CELLS if k.startswith(prefix)]
    return "".join(CELLS[k] for k in keys[: keys.index(key) + 1])


#: The cells that are Python and must run exactly as CPython runs them.
#: (t3_block3 is Python by accident: after its first "#" the whole line is a comment.)
RUNNABLE = [k for k in CELLS if not k.startswith("t3_") or k in ("t3_block0", "t3_block3")]
#: Tutorial 3 blocks whose lines were glued together: not Python any more.
GLUED = ["t3_block1", "t3_block2", "t3_block4"]
